package dev.fusebox.micrometer;

import dev.fusebox.Policy;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.Subscription;
import dev.fusebox.bulkhead.BulkheadEvent;
import dev.fusebox.bulkhead.BulkheadFullException;
import dev.fusebox.chaos.ChaosEvent;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.StateTransition;
import dev.fusebox.fallback.FallbackEvent;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.ratelimiter.RateLimiterEvent;
import dev.fusebox.ratelimiter.RequestNotPermittedException;
import dev.fusebox.retry.RetryEvent;
import dev.fusebox.throttle.AdaptiveThrottleEvent;
import dev.fusebox.throttle.CallThrottledException;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterEvent;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Puts the decisions of Fusebox policies into traces, through Micrometer Observation (and so into
 * OpenTelemetry or Brave spans through a Micrometer Tracing bridge).
 *
 * <p>Two parts, used together or apart:
 * <ul>
 *   <li>The registries given to the builder have their events written onto the observation current on the
 *       thread that publishes them: a breaker's decision ({@code circuitbreaker.name}, {@code .state},
 *       {@code .result} = {@code success}, {@code failure}, {@code ignored} or {@code rejected}), a retry's
 *       attempts ({@code retry.name}, {@code .attempt}, {@code .result}), a fallback used
 *       ({@code fallback.name}, {@code .used}), a time-out ({@code timeout.name}, {@code .duration},
 *       {@code .occurred}), a bulkhead's, rate limiter's or throttle's rejection, a chaos injection. The
 *       names follow the proposal for resilience attributes in OpenTelemetry's semantic conventions (issue
 *       2355) where it has one. They are high-cardinality key values, so they reach spans but never the tags
 *       of a meter an observation handler derives (a server request's timer keeps its tags); state changes
 *       and rejections are also observation events.</li>
 *   <li>{@link #observe(Pipeline)} and {@link #observe(Policy)} give every guarded call an observation of its own,
 *       {@code fusebox.call}, tagged with the policy's name and {@code fusebox.outcome} ({@code success},
 *       {@code failure} or {@code rejected}), so that the decisions have a span even where no request span
 *       encloses the call.</li>
 * </ul>
 *
 * <pre>{@code
 * FuseboxObservation tracing = FuseboxObservation.builder(observationRegistry)
 *     .registry(circuitBreakers)
 *     .registry(retries)
 *     .build();
 * Pipeline<Stock> stock = tracing.observe(Pipeline.<Stock>builder("inventory")
 *     .circuitBreaker(circuitBreakers.circuitBreaker("inventory"))
 *     .retry(retries.retry("inventory"))
 *     .build());
 * Stock answer = stock.executeCallable(() -> inventory.lookUp(sku));
 * }</pre>
 *
 * <p>Cost: with {@link ObservationRegistry#NOOP} (or any registry that {@linkplain ObservationRegistry#isNoop()
 * is a no-op} when {@link Builder#build()} runs) nothing is subscribed, so the registries' policies build no
 * events and their call paths stay as they are. With a live registry each call builds its events, which
 * is the price of tracing it. Events of an asynchronous call that complete on another thread land on that
 * thread's current observation, if any; {@link #observe(Policy)} records the asynchronous outcome itself.
 *
 * <p>{@link #close()} unsubscribes from the registries. This class is threadsafe.
 */
public final class FuseboxObservation implements AutoCloseable {

  /** The name of the observation {@link #observe(Policy)} starts for each call. */
  public static final String CALL_OBSERVATION = "fusebox.call";

  private final ObservationRegistry observations;
  private final List<Subscription> subscriptions;

  private FuseboxObservation(ObservationRegistry observations, List<PolicyRegistry<?, ?, ?>> registries) {
    this.observations = observations;
    List<Subscription> subscribed = new ArrayList<>();
    if (!observations.isNoop()) {
      for (PolicyRegistry<?, ?, ?> registry : registries) {
        subscribed.add(subscribe(registry));
      }
    }
    this.subscriptions = List.copyOf(subscribed);
  }

  /**
   * Starts a builder that writes onto observations of the given registry.
   *
   * @param observations the observation registry, {@link ObservationRegistry#NOOP} to trace nothing
   * @return a new builder
   */
  public static Builder builder(ObservationRegistry observations) {
    return new Builder(Objects.requireNonNull(observations, "observations must not be null"));
  }

  /**
   * Returns a policy that runs every call of {@code policy} inside an observation named
   * {@value #CALL_OBSERVATION}, with the low-cardinality key values {@code fusebox.policy} (the policy's name)
   * and {@code fusebox.outcome}; a failure or rejection is also the observation's error. The policy's own
   * exception and result reach the caller unchanged.
   *
   * @param policy the policy to observe, a {@code Pipeline} say
   * @return the observed policy, named as {@code policy}
   */
  public Policy observe(Policy policy) {
    Objects.requireNonNull(policy, "policy must not be null");
    return new ObservedPolicy(policy, observations);
  }

  /**
   * Returns a pipeline like {@code pipeline} whose calls each run inside an observation as
   * {@link #observe(Policy)} describes: the observation sits outside every policy of the pipeline and just
   * inside its fallback, so that its outcome is what the guarded stack gave (a fallback that answers
   * afterwards shows as {@code fallback.used} on the enclosing observation).
   *
   * <pre>{@code
   * Pipeline<Quote> quotes = tracing.observe(Pipeline.<Quote>builder("quotes")
   *     .circuitBreaker(breaker)
   *     .retry(retry)
   *     .build());
   * }</pre>
   *
   * @param pipeline the pipeline to observe
   * @param <T> the pipeline's result type
   * @return a new pipeline with the same policies, in the same order, and the same fallback
   */
  public <T> Pipeline<T> observe(Pipeline<T> pipeline) {
    Objects.requireNonNull(pipeline, "pipeline must not be null");
    Pipeline.Builder<T> observed = Pipeline.<T>builder(pipeline.name())
        .order(Pipeline.Order.AS_ADDED)
        .policy(new CallObservation(pipeline.name(), observations));
    pipeline.policies().forEach(observed::policy);
    pipeline.fallback().ifPresent(observed::fallback);
    return observed.build();
  }

  /** Stops writing the registries' events onto observations. Idempotent. */
  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
  }

  /** Returns how many registries this writes events from (none when the observation registry is a no-op). */
  int subscribedRegistries() {
    return subscriptions.size();
  }

  @Override
  public String toString() {
    return "FuseboxObservation[registries=" + subscriptions.size() + "]";
  }

  private Subscription subscribe(PolicyRegistry<?, ?, ?> registry) {
    return registry.onEvent(event -> {
      Observation current = observations.getCurrentObservation();
      if (current != null && !current.isNoop()) {
        annotate(current, registry, event);
      }
    });
  }

  // Package-private so that the mapping can be read next to its test.
  static void annotate(Observation observation, PolicyRegistry<?, ?, ?> registry, Object event) {
    if (event instanceof CircuitBreakerEvent e) {
      breaker(observation, registry, e);
    } else if (event instanceof RetryEvent e) {
      retry(observation, e);
    } else if (event instanceof FallbackEvent e) {
      fallback(observation, e);
    } else if (event instanceof TimeLimiterEvent e) {
      timeLimiter(observation, registry, e);
    } else if (event instanceof BulkheadEvent e) {
      bulkhead(observation, e);
    } else if (event instanceof RateLimiterEvent e) {
      rateLimiter(observation, e);
    } else if (event instanceof AdaptiveThrottleEvent e) {
      throttle(observation, e);
    } else if (event instanceof ChaosEvent e) {
      chaos(observation, e);
    } else if (event != null) {
      // A policy of the user's own: its events still show, named after its kind and the event's type.
      String kind = registry.kind().id();
      observation.event(Observation.Event.of(kind + "." + event.getClass().getSimpleName(), event.toString()));
    }
  }

  private static void breaker(Observation observation, PolicyRegistry<?, ?, ?> registry, CircuitBreakerEvent e) {
    String name = e.breakerName();
    observation.highCardinalityKeyValue("circuitbreaker.name", name);
    if (e instanceof StateTransition t) {
      observation.highCardinalityKeyValue("circuitbreaker.state", lower(t.to()));
      observation.event(Observation.Event.of(
          "circuitbreaker.state_transition", name + ": " + t.from() + " -> " + t.to()));
      return;
    }
    if (e instanceof CircuitBreakerEvent.NotPermitted n) {
      observation.highCardinalityKeyValue("circuitbreaker.state", lower(n.state()));
      observation.highCardinalityKeyValue("circuitbreaker.result", "rejected");
      observation.event(Observation.Event.of("circuitbreaker.rejected", name + " is " + n.state()));
      return;
    }
    String result;
    if (e instanceof CircuitBreakerEvent.Success s) {
      result = "success";
      slow(observation, s.slow());
    } else if (e instanceof CircuitBreakerEvent.Failure f) {
      result = "failure";
      slow(observation, f.slow());
    } else if (e instanceof CircuitBreakerEvent.IgnoredError) {
      result = "ignored";
    } else {
      // A reset or a rate crossing: not a call's decision, but worth seeing where it happened.
      observation.event(Observation.Event.of("circuitbreaker." + lower(e.type()), name));
      return;
    }
    observation.highCardinalityKeyValue("circuitbreaker.result", result);
    Object breaker = registry.find(name).orElse(null);
    if (breaker instanceof CircuitBreaker b) {
      observation.highCardinalityKeyValue("circuitbreaker.state", lower(b.state()));
    }
  }

  private static void slow(Observation observation, boolean slow) {
    if (slow) {
      observation.highCardinalityKeyValue("circuitbreaker.slow", "true");
    }
  }

  private static void retry(Observation observation, RetryEvent e) {
    observation.highCardinalityKeyValue("retry.name", e.name());
    if (e instanceof RetryEvent.Retrying r) {
      observation.highCardinalityKeyValue("retry.attempt", Integer.toString(r.attempt()));
      observation.event(Observation.Event.of(
          "retry.attempt", e.name() + ": attempt " + r.attempt() + " failed, next in " + r.waitDuration()));
    } else if (e instanceof RetryEvent.Success s) {
      observation.highCardinalityKeyValue("retry.attempt", Integer.toString(s.attempts()));
      observation.highCardinalityKeyValue("retry.result", "success");
    } else if (e instanceof RetryEvent.Failure f) {
      observation.highCardinalityKeyValue("retry.attempt", Integer.toString(f.attempts()));
      observation.highCardinalityKeyValue("retry.result", "exhausted");
    } else if (e instanceof RetryEvent.IgnoredError i) {
      observation.highCardinalityKeyValue("retry.attempt", Integer.toString(i.attempts()));
      observation.highCardinalityKeyValue("retry.result", "not_retried");
    } else if (e instanceof RetryEvent.BudgetExhausted b) {
      observation.highCardinalityKeyValue("retry.attempt", Integer.toString(b.attempts()));
      observation.highCardinalityKeyValue("retry.result", "budget_exhausted");
    }
  }

  private static void fallback(Observation observation, FallbackEvent e) {
    observation.highCardinalityKeyValue("fallback.name", e.name());
    String result;
    if (e instanceof FallbackEvent.FallbackUsed) {
      result = "used";
    } else if (e instanceof FallbackEvent.StaleValueServed) {
      result = "stale_value";
    } else if (e instanceof FallbackEvent.CacheMiss) {
      result = "cache_miss";
    } else {
      result = "failed";
    }
    observation.highCardinalityKeyValue("fallback.used", Boolean.toString(!result.equals("cache_miss")));
    observation.highCardinalityKeyValue("fallback.result", result);
    observation.event(Observation.Event.of("fallback." + result, e.name()));
  }

  private static void timeLimiter(Observation observation, PolicyRegistry<?, ?, ?> registry, TimeLimiterEvent e) {
    observation.highCardinalityKeyValue("timeout.name", e.name());
    Object limiter = registry.find(e.name()).orElse(null);
    if (limiter instanceof TimeLimiter t) {
      observation.highCardinalityKeyValue("timeout.duration", t.config().timeoutDuration().toString());
    }
    boolean timedOut = e instanceof TimeLimiterEvent.Timeout;
    observation.highCardinalityKeyValue("timeout.occurred", Boolean.toString(timedOut));
    if (timedOut) {
      observation.event(Observation.Event.of("timeout", e.name()));
    }
  }

  private static void bulkhead(Observation observation, BulkheadEvent e) {
    if (e instanceof BulkheadEvent.CallPermitted) {
      observation.highCardinalityKeyValue("bulkhead.name", e.name());
      observation.highCardinalityKeyValue("bulkhead.result", "permitted");
    } else if (e instanceof BulkheadEvent.CallRejected) {
      observation.highCardinalityKeyValue("bulkhead.name", e.name());
      observation.highCardinalityKeyValue("bulkhead.result", "rejected");
      observation.event(Observation.Event.of("bulkhead.rejected", e.name()));
    }
  }

  private static void rateLimiter(Observation observation, RateLimiterEvent e) {
    if (e instanceof RateLimiterEvent.SuccessfulAcquire) {
      observation.highCardinalityKeyValue("ratelimiter.name", e.name());
      observation.highCardinalityKeyValue("ratelimiter.result", "permitted");
    } else if (e instanceof RateLimiterEvent.FailedAcquire) {
      observation.highCardinalityKeyValue("ratelimiter.name", e.name());
      observation.highCardinalityKeyValue("ratelimiter.result", "rejected");
      observation.event(Observation.Event.of("ratelimiter.rejected", e.name()));
    }
  }

  private static void throttle(Observation observation, AdaptiveThrottleEvent e) {
    observation.highCardinalityKeyValue("throttle.name", e.name());
    if (e instanceof AdaptiveThrottleEvent.Rejected r) {
      observation.highCardinalityKeyValue("throttle.result", "rejected");
      observation.event(Observation.Event.of(
          "throttle.rejected", e.name() + " shed the call with probability " + r.rejectionProbability()));
    } else {
      observation.highCardinalityKeyValue("throttle.result", "permitted");
    }
  }

  private static void chaos(Observation observation, ChaosEvent e) {
    observation.highCardinalityKeyValue("chaos.name", e.name());
    String injected = e instanceof ChaosEvent.FaultInjected ? "fault"
        : e instanceof ChaosEvent.ResultInjected ? "result" : "latency";
    observation.highCardinalityKeyValue("chaos.injected", injected);
    observation.event(Observation.Event.of("chaos." + injected, e.name()));
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static boolean isRejection(Throwable error) {
    return error instanceof CallNotPermittedException
        || error instanceof BulkheadFullException
        || error instanceof RequestNotPermittedException
        || error instanceof CallThrottledException;
  }

  /** The registries to trace. */
  public static final class Builder {

    private final ObservationRegistry observations;
    private final List<PolicyRegistry<?, ?, ?>> registries = new ArrayList<>();

    private Builder(ObservationRegistry observations) {
      this.observations = observations;
    }

    /**
     * Writes the events of every policy of {@code registry}, present and future, onto the current
     * observation. Any registry works: those of Fusebox's policies are mapped to named key values, a
     * registry of a policy of your own has its events recorded as observation events.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder registry(PolicyRegistry<?, ?, ?> registry) {
      registries.add(Objects.requireNonNull(registry, "registry must not be null"));
      return this;
    }

    /**
     * Subscribes to the registries, unless the observation registry is a no-op.
     *
     * @return the tracing, to {@link FuseboxObservation#close() close} when done
     */
    public FuseboxObservation build() {
      return new FuseboxObservation(observations, List.copyOf(registries));
    }
  }

  /** The outermost layer of an observed pipeline: an observation around the rest of the stack. */
  private static final class CallObservation implements Policy {

    private final ObservedPolicy around;

    CallObservation(String name, ObservationRegistry observations) {
      this.around = new ObservedPolicy(new PassThrough(name), observations);
    }

    @Override
    public String name() {
      return around.name();
    }

    @Override
    public <T> T executeCallable(Callable<T> callable) throws Exception {
      return around.executeCallable(callable);
    }

    @Override
    public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
      return around.executeCompletionStage(supplier);
    }

    @Override
    public String toString() {
      return "observation '" + name() + "'";
    }
  }

  /** Runs the call as it is: what an observation wraps when it is itself a layer. */
  private record PassThrough(String name) implements Policy {

    @Override
    public <T> T executeCallable(Callable<T> callable) throws Exception {
      return callable.call();
    }

    @Override
    public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
      return supplier.get();
    }
  }

  private static final class ObservedPolicy implements Policy {

    private final Policy policy;
    private final ObservationRegistry observations;

    ObservedPolicy(Policy policy, ObservationRegistry observations) {
      this.policy = policy;
      this.observations = observations;
    }

    @Override
    public String name() {
      return policy.name();
    }

    private Observation start() {
      return Observation.createNotStarted(CALL_OBSERVATION, observations)
          .contextualName("fusebox " + policy.name())
          .lowCardinalityKeyValue("fusebox.policy", policy.name())
          .start();
    }

    private static void finish(Observation observation, Throwable error) {
      if (error == null) {
        observation.lowCardinalityKeyValue("fusebox.outcome", "success");
      } else {
        Throwable cause = unwrap(error);
        observation.lowCardinalityKeyValue("fusebox.outcome", isRejection(cause) ? "rejected" : "failure");
        observation.error(cause);
      }
      observation.stop();
    }

    private static Throwable unwrap(Throwable error) {
      if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
        return error.getCause();
      }
      return error;
    }

    @Override
    public <T> T executeCallable(Callable<T> callable) throws Exception {
      Observation observation = start();
      Throwable error = null;
      try (Observation.Scope scope = observation.openScope()) {
        return policy.executeCallable(callable);
      } catch (Throwable e) {
        error = e;
        throw e;
      } finally {
        finish(observation, error);
      }
    }

    @Override
    public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
      Observation observation = start();
      CompletionStage<T> stage;
      try (Observation.Scope scope = observation.openScope()) {
        stage = policy.executeCompletionStage(supplier);
      } catch (Throwable e) {
        finish(observation, e);
        throw e;
      }
      // A fresh future completed with the stage's own result or exception: the caller sees exactly what the
      // policy gave, never a wrapper added here.
      CompletableFuture<T> observed = new CompletableFuture<>();
      stage.whenComplete((result, error) -> {
        finish(observation, error);
        if (error != null) {
          observed.completeExceptionally(error);
        } else {
          observed.complete(result);
        }
      });
      return observed;
    }

    @Override
    public String toString() {
      return "Observed[" + policy + "]";
    }
  }
}
