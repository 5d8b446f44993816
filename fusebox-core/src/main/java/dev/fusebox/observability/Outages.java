package dev.fusebox.observability;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.circuitbreaker.StateTransition;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the on-call wants to read about each breaker's openings: how many calls it spared its dependency
 * (calls rejected while it was open or half-open, which would otherwise have hit a failing dependency), and
 * how long each opening took to recover, on average too.
 *
 * <pre>{@code
 * Outages outages = Outages.attach(registry);
 * outages.onRecovery(r -> log.info("{} recovered after {} and spared {} calls",
 *     r.breaker(), r.timeToRecovery(), r.sparedCalls()));
 * Outages.Summary s = outages.summary("inventory").orElseThrow();
 * s.averageTimeToRecovery();   // over every recovery since attach
 * }</pre>
 *
 * <p>An opening starts when a breaker enters {@code OPEN} from any state but {@code HALF_OPEN}, and it
 * recovers when the breaker enters {@code CLOSED} from {@code HALF_OPEN}, its trials having passed: the time
 * to recovery runs between the two, half-open stays that failed included, on the breaker's
 * {@link dev.fusebox.Ticker}. Closed, forced open, disabled or reset by hand, an opening ends without a
 * recovery: an operator decided, not the dependency. A breaker already open when attached counts from then.
 *
 * <p>Only state transitions are followed, so the call path pays nothing; spared calls are read from the
 * breaker's own {@code totalNotPermittedCalls()} at the opening's edges. Threadsafe; {@link #close()} stops
 * following the breakers.
 */
public final class Outages implements AutoCloseable {


  /**
   * One breaker's openings since the observer was attached.
   *
   * @param breaker the breaker's name
   * @param openings the openings that started
   * @param recoveries the openings that recovered through trials
   * @param sparedCalls calls rejected during openings, the current one included
   * @param openFor how long the current opening has lasted; empty when the breaker is not in one
   * @param lastTimeToRecovery the last opening's time to recovery; empty before the first recovery
   * @param averageTimeToRecovery the mean over every recovery; empty before the first
   */
  public record Summary(
      String breaker,
      long openings,
      long recoveries,
      long sparedCalls,
      Optional<Duration> openFor,
      Optional<Duration> lastTimeToRecovery,
      Optional<Duration> averageTimeToRecovery) {}

  /**
   * An opening that recovered.
   *
   * @param breaker the breaker's name
   * @param timeToRecovery from the opening to the closing after trials
   * @param sparedCalls the calls rejected during the opening
   */
  public record Recovery(String breaker, Duration timeToRecovery, long sparedCalls) {}

  private final PerBreaker<Tracker> trackers;
  private final Function<String, CircuitBreaker> find;
  private final List<Consumer<? super Recovery>> listeners = new CopyOnWriteArrayList<>();
  private volatile List<Subscription> subscriptions = List.of();

  private Outages(Function<String, CircuitBreaker> find) {
    this.find = find;
    this.trackers = new PerBreaker<>(name -> new Tracker(), name -> find.apply(name) != null);
  }

  /**
   * Follows the openings of every breaker of the registry, present and future.
   *
   * @param registry the registry whose breakers, present and future, are covered
   * @return the outages, followed from now on; closing it stops the following
   */
  public static Outages attach(CircuitBreakerRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null");
    Outages outages = new Outages(name -> registry.find(name).orElse(null));
    Subscription removals = registry.onRemoved(breaker -> outages.trackers.drop(breaker.name()));
    Subscription events = registry.onEvent(EnumSet.of(CircuitBreakerEvent.Type.STATE_TRANSITION), outages::transition);
    outages.subscriptions = List.of(removals, events);
    registry.all().forEach(outages::adopt);
    return outages;
  }

  /**
   * Follows the openings of one breaker.
   *
   * @param breaker the breaker covered
   * @return the outages, followed from now on; closing it stops the following
   */
  public static Outages attach(CircuitBreaker breaker) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    String name = breaker.name();
    Outages outages = new Outages(n -> n.equals(name) ? breaker : null);
    outages.subscriptions = List.of(breaker.onEvent(EnumSet.of(CircuitBreakerEvent.Type.STATE_TRANSITION),
        outages::transition));
    outages.adopt(breaker);
    return outages;
  }

  /**
   * Returns what is known of breaker {@code name}'s openings; empty for a breaker not followed.
   *
   * @param name the breaker's name
   * @return what is known of breaker {@code name}'s openings; empty for a breaker not followed
   */
  public Optional<Summary> summary(String name) {
    Objects.requireNonNull(name, "name must not be null");
    CircuitBreaker breaker = find.apply(name);
    Tracker t = breaker == null ? null : trackers.forEvent(name);
    return t == null ? Optional.empty() : Optional.of(t.summary(name, breaker));
  }

  /**
   * Calls {@code listener} on each recovery, on the thread that closed the breaker. A listener that throws is ignored.
   *
   * @param listener receives each recovery
   * @return the subscription; closing it removes the listener
   */
  public Subscription onRecovery(Consumer<? super Recovery> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Stops following the breakers; summaries stay readable. Idempotent. */
  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
  }

  private void adopt(CircuitBreaker breaker) {
    Tracker t = trackers.forEvent(breaker.name());
    if (t != null) {
      t.adopt(breaker);
    }
  }

  private void transition(CircuitBreakerEvent event) {
    if (!(event instanceof StateTransition t)) {
      return;
    }
    CircuitBreaker breaker = find.apply(t.breakerName());
    Tracker tracker = breaker == null ? null : trackers.forEvent(t.breakerName());
    if (tracker == null) {
      return;
    }
    Recovery recovered = tracker.transition(t, breaker);
    if (recovered != null) {
      for (Consumer<? super Recovery> l : listeners) {
        try {
          l.accept(recovered);
        } catch (RuntimeException e) {
          // A listener's failure never reaches the breaker's caller.
        }
      }
    }
  }

  /**
   * One breaker's openings. Transitions of one breaker may be announced on several threads at once, so
   * each one is applied under the tracker's lock: transitions are rare, and never on the call path.
   */
  private static final class Tracker {
    private boolean open;
    private long openedAt;
    private long rejectedAtOpening;
    private long openings;
    private long recoveries;
    private long spared;
    private long lastNanos = -1;
    private long totalNanos;

    synchronized void adopt(CircuitBreaker breaker) {
      CircuitBreaker.State s = breaker.state();
      if (!open && (s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.HALF_OPEN)) {
        start(breaker);
      }
    }

    synchronized Recovery transition(StateTransition t, CircuitBreaker breaker) {
      CircuitBreaker.State to = t.to();
      if (to == CircuitBreaker.State.OPEN) {
        if (!open && t.from() != CircuitBreaker.State.HALF_OPEN) {
          start(breaker);
        }
        return null;
      }
      if (to == CircuitBreaker.State.HALF_OPEN || !open) {
        return null;
      }
      long sparedHere = rejected(breaker) - rejectedAtOpening;
      spared += sparedHere;
      open = false;
      if (to == CircuitBreaker.State.CLOSED && t.from() == CircuitBreaker.State.HALF_OPEN) {
        long took = breaker.config().ticker().nanos() - openedAt;
        recoveries++;
        lastNanos = took;
        totalNanos += took;
        return new Recovery(t.breakerName(), Duration.ofNanos(took), sparedHere);
      }
      return null;
    }

    private void start(CircuitBreaker breaker) {
      open = true;
      openings++;
      openedAt = breaker.config().ticker().nanos();
      rejectedAtOpening = rejected(breaker);
    }

    private static long rejected(CircuitBreaker breaker) {
      return breaker.metrics().totalNotPermittedCalls();
    }

    synchronized Summary summary(String name, CircuitBreaker breaker) {
      long now = breaker.config().ticker().nanos();
      return new Summary(
          name,
          openings,
          recoveries,
          spared + (open ? rejected(breaker) - rejectedAtOpening : 0),
          open ? Optional.of(Duration.ofNanos(now - openedAt)) : Optional.empty(),
          lastNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(lastNanos)),
          recoveries == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(totalNanos / recoveries)));
    }
  }
}
