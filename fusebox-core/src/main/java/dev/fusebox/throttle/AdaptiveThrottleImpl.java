package dev.fusebox.throttle;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Outcomes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The adaptive throttle: a {@link RequestWindow} that gives the rejection probability, a random draw
 * against it, and the {@link AcceptRules} that turn an outcome into an accept or a failure.
 *
 * <p>Design note. A call is: read the ticker, ask the window for the probability (a handful of volatile
 * reads, see {@link RequestWindow}), draw only if it is above zero, then run and record one counter
 * increment. All the concurrency lives in the window; this class adds a counter of ignored calls and
 * events built only when some listener wants their type. There is no state to move and so no CAS on the
 * call path: two racing decisions may both read the window before either is counted, which shifts a
 * probability by one request in {@code requests + 1}, no more than the draw itself does. Rejections throw
 * the one exception built with the throttle.
 */
final class AdaptiveThrottleImpl implements AdaptiveThrottle {

  private static final int ACCEPTED = AdaptiveThrottleEvent.Type.ACCEPTED.ordinal();
  private static final int NOT_ACCEPTED = AdaptiveThrottleEvent.Type.NOT_ACCEPTED.ordinal();
  private static final int IGNORED = AdaptiveThrottleEvent.Type.IGNORED.ordinal();
  private static final int REJECTED = AdaptiveThrottleEvent.Type.REJECTED.ordinal();
  /** The most predicate failures attached to one exception a dependency may throw again and again. */
  private static final int MAX_SUPPRESSED = 4;

  private final String name;
  private final AdaptiveThrottleConfig config;
  private final Ticker ticker;
  /** The configured source, or null for each thread's own. */
  private final RandomGenerator random;
  private final RequestWindow window;
  private final AcceptRules rules;
  private final LongAdder ignored = new LongAdder();
  private final Listeners<AdaptiveThrottleEvent> events;
  private final CallThrottledException rejection;

  AdaptiveThrottleImpl(String name, AdaptiveThrottleConfig config) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.ticker = config.ticker();
    this.random = config.randomOrNull();
    this.window = new RequestWindow(config, ticker.nanos());
    this.rules = new AcceptRules(config);
    this.events = new Listeners<>("adaptive throttle", name, event -> event.type().ordinal());
    this.rejection = new CallThrottledException(name);
  }

  // ---------------------------------------------------------------------------------------------------
  // Call path

  @Override
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    acquirePermission();
    T result;
    try {
      result = callable.call();
    } catch (Throwable e) {
      threw(e);
      throw e;
    }
    returned(result);
    return result;
  }

  @Override
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    acquirePermission();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable e) {
      threw(e);
      throw e;
    }
    returned(result);
    return result;
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    acquirePermission();
    try {
      runnable.run();
    } catch (Throwable e) {
      threw(e);
      throw e;
    }
    returned(null);
  }

  @Override
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> executeFunction(function, argument);
  }

  private <T, R> R executeFunction(Function<T, R> function, T argument) {
    acquirePermission();
    R result;
    try {
      result = function.apply(argument);
    } catch (Throwable e) {
      threw(e);
      throw e;
    }
    returned(result);
    return result;
  }

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    if (!admit()) {
      return CompletableFuture.failedFuture(rejection);
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      threw(e);
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      NullPointerException npe = new NullPointerException("the supplier returned a null CompletionStage");
      threw(npe);
      return CompletableFuture.failedFuture(npe);
    }
    ThrottledCall<T> call = new ThrottledCall<>(this, stage);
    stage.whenComplete(call);
    return call;
  }

  /** Decides a request: true to make it; false when it was rejected locally, which is then counted. */
  private boolean admit() {
    double probability = window.rejectionProbability(ticker.nanos());
    if (probability == 0 || draw() >= probability) {
      return true;
    }
    window.rejected();
    if (events.wants(REJECTED)) {
      events.publish(new AdaptiveThrottleEvent.Rejected(name, EventTime.now(), probability));
    }
    return false;
  }

  private double draw() {
    return random != null ? random.nextDouble() : ThreadLocalRandom.current().nextDouble();
  }

  /** Records a request that returned {@code result}; throws what a {@code recordResult} predicate throws. */
  void returned(Object result) {
    if (rules.ofResult(result) == AcceptRules.FAILED) {
      failed(null);
    } else {
      accepted();
    }
  }

  /**
   * Records a request that threw {@code error}. A predicate that throws records nothing: its exception is
   * attached to the call's, which the caller gets as it would without a throttle.
   */
  void threw(Throwable error) {
    int outcome;
    try {
      outcome = rules.ofError(error);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error predicateFailure) {
      Outcomes.addSuppressed(error, predicateFailure, MAX_SUPPRESSED);
      return;
    }
    switch (outcome) {
      case AcceptRules.ACCEPTED -> accepted();
      case AcceptRules.FAILED -> failed(error);
      default -> {
        ignored.increment();
        if (events.wants(IGNORED)) {
          events.publish(new AdaptiveThrottleEvent.Ignored(name, EventTime.now(), error));
        }
      }
    }
  }

  private void accepted() {
    window.accepted();
    if (events.wants(ACCEPTED)) {
      events.publish(new AdaptiveThrottleEvent.Accepted(name, EventTime.now()));
    }
  }

  private void failed(Throwable error) {
    window.failed();
    if (events.wants(NOT_ACCEPTED)) {
      events.publish(new AdaptiveThrottleEvent.NotAccepted(name, EventTime.now(), error));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Manual API

  @Override
  public boolean tryAcquirePermission() {
    return admit();
  }

  @Override
  public void acquirePermission() {
    if (!admit()) {
      throw rejection;
    }
  }

  @Override
  public void onSuccess() {
    accepted();
  }

  @Override
  public void onResult(Object result) {
    returned(result);
  }

  @Override
  public void onError(Throwable error) {
    threw(Objects.requireNonNull(error, "error must not be null"));
  }

  @Override
  public Subscription onEvent(Consumer<? super AdaptiveThrottleEvent> listener) {
    return events.subscribe(listener);
  }

  @Override
  public Subscription onEvent(
      Set<AdaptiveThrottleEvent.Type> types, Consumer<? super AdaptiveThrottleEvent> listener) {
    return events.subscribe(Listeners.maskOf(types), listener);
  }

  /** Subscribes with a ready-made type mask; the registry forwards its listeners' union this way. */
  Subscription onEvent(long types, Consumer<? super AdaptiveThrottleEvent> listener) {
    return events.subscribe(types, listener);
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public AdaptiveThrottleConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    RequestWindow.Counts counts = window.counts(ticker.nanos());
    long accepts = window.totalAccepts();
    long failures = window.totalFailures();
    long rejections = window.totalRejections();
    return new AdaptiveThrottleMetricsSnapshot(
        window.probability(counts.requests(), counts.accepts()),
        counts.requests(),
        counts.accepts(),
        accepts + failures + rejections,
        accepts,
        failures,
        rejections,
        ignored.sum());
  }

  @Override
  public String toString() {
    return "AdaptiveThrottle[" + name + ", k=" + config.k() + ", samplingWindow=" + config.samplingWindow() + "]";
  }
}
