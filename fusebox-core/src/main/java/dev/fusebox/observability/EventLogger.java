package dev.fusebox.observability;

import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.circuitbreaker.StateTransition;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Writes what circuit breakers do to a {@link System.Logger}, so that an operator reading the log sees
 * which dependency failed, when its breaker opened and when it recovered, without the log drowning in
 * rejections.
 *
 * <table>
 *   <caption>What is logged</caption>
 *   <tr><th>Event</th><th>Level</th><th>Line</th></tr>
 *   <tr><td>transition to {@code OPEN} or {@code FORCED_OPEN}</td><td>WARNING</td>
 *       <td>{@code Circuit breaker 'inventory' changed from CLOSED to OPEN}</td></tr>
 *   <tr><td>any other transition</td><td>INFO</td>
 *       <td>{@code Circuit breaker 'inventory' changed from OPEN to HALF_OPEN}</td></tr>
 *   <tr><td>failure or slow-call rate exceeded</td><td>WARNING</td>
 *       <td>{@code Circuit breaker 'inventory' failure rate 62.5% reached its threshold}</td></tr>
 *   <tr><td>reset</td><td>INFO</td><td>{@code Circuit breaker 'inventory' was reset}</td></tr>
 *   <tr><td>rejected call</td><td>INFO, at most one line per breaker and
 *       {@link EventLoggerConfig#rejectionLogPeriod() period}</td>
 *       <td>{@code Circuit breaker 'inventory' is rejecting calls (OPEN); 1234 rejections not logged since the
 *       last line}</td></tr>
 * </table>
 *
 * <p>Rejections counted but not logged are reported by the next rejection line of that breaker, or by its
 * next transition line, whichever comes first, so no rejection goes unaccounted. Successful, failed and
 * ignored calls are not logged: the application logs its own errors.
 *
 * <pre>{@code
 * Subscription logging = EventLogger.attach(registry);
 * // ...
 * logging.close();
 * }</pre>
 *
 * <p>The rejection limit is lock-free: a rejection within the period costs one counter increment. Lines are
 * written on the thread that publishes the event (the caller for rejections, the thread delivering
 * transitions otherwise). Listening makes breakers build an event object per call, as with any
 * {@code onEvent} listener. The per-breaker rate-limit state is dropped when a breaker leaves the registry.
 * This class is threadsafe.
 */
public final class EventLogger {

  private EventLogger() {}

  /** The event types a log line is written for; breakers build no other event for this logger. */
  static final Set<CircuitBreakerEvent.Type> LOGGED =
      EnumSet.of(
          CircuitBreakerEvent.Type.STATE_TRANSITION,
          CircuitBreakerEvent.Type.FAILURE_RATE_EXCEEDED,
          CircuitBreakerEvent.Type.SLOW_CALL_RATE_EXCEEDED,
          CircuitBreakerEvent.Type.NOT_PERMITTED,
          CircuitBreakerEvent.Type.RESET);

  /**
   * Logs the events of every breaker of the registry, present and future, with the default configuration.
   *
   * @param registry the registry whose breakers, present and future, are covered
   * @return the subscription; closing it stops the logging
   */
  public static Subscription attach(CircuitBreakerRegistry registry) {
    return attach(registry, EventLoggerConfig.ofDefaults());
  }

  /**
   * Logs the events of every breaker of the registry, present and future.
   *
   * @param registry the registry whose breakers, present and future, are covered
   * @param config where the lines go, and how often rejections are logged
   * @return the subscription; closing it stops the logging
   */
  public static Subscription attach(CircuitBreakerRegistry registry, EventLoggerConfig config) {
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(config, "config must not be null");
    return subscribe(registry, new Listener(config, name -> registry.find(name).isPresent()));
  }

  static Subscription subscribe(CircuitBreakerRegistry registry, Listener listener) {
    Subscription removals = registry.onRemoved(breaker -> listener.rejections.drop(breaker.name()));
    Subscription events = registry.onEvent(LOGGED, listener);
    return () -> {
      events.close();
      removals.close();
      listener.rejections.close();
    };
  }

  /**
   * Logs the events of one breaker with the default configuration.
   *
   * @param breaker the breaker covered
   * @return the subscription; closing it stops the logging
   */
  public static Subscription attach(CircuitBreaker breaker) {
    return attach(breaker, EventLoggerConfig.ofDefaults());
  }

  /**
   * Logs the events of one breaker.
   *
   * @param breaker the breaker covered
   * @param config where the lines go, and how often rejections are logged
   * @return the subscription; closing it stops the logging
   */
  public static Subscription attach(CircuitBreaker breaker, EventLoggerConfig config) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    Objects.requireNonNull(config, "config must not be null");
    String name = breaker.name();
    return subscribe(breaker, new Listener(config, name::equals));
  }

  static Subscription subscribe(CircuitBreaker breaker, Listener listener) {
    Subscription events = breaker.onEvent(LOGGED, listener);
    return () -> {
      events.close();
      listener.rejections.close();
    };
  }

  /** The listener behind a subscription; package-private for tests. */
  static final class Listener implements Consumer<CircuitBreakerEvent> {

    private final System.Logger logger;
    private final Ticker clock;
    private final long periodNanos;
    final PerBreaker<RejectionLimit> rejections;

    Listener(EventLoggerConfig config, Predicate<String> covered) {
      this.logger = config.logger();
      this.clock = config.ticker();
      this.periodNanos = config.rejectionLogPeriod().toNanos();
      this.rejections = new PerBreaker<>(name -> new RejectionLimit(periodNanos, clock.nanos()), covered);
    }

    @Override
    public void accept(CircuitBreakerEvent event) {
      switch (event.type()) {
        case STATE_TRANSITION -> transition((StateTransition) event);
        case NOT_PERMITTED -> rejected((CircuitBreakerEvent.NotPermitted) event);
        case FAILURE_RATE_EXCEEDED ->
            rateExceeded(event, "failure", ((CircuitBreakerEvent.FailureRateExceeded) event).failureRate());
        case SLOW_CALL_RATE_EXCEEDED ->
            rateExceeded(event, "slow-call", ((CircuitBreakerEvent.SlowCallRateExceeded) event).slowCallRate());
        case RESET -> log(Level.INFO, "Circuit breaker '" + event.breakerName() + "' was reset");
        default -> {
          // Per-call outcomes are the application's to log.
        }
      }
    }

    private void transition(StateTransition transition) {
      CircuitBreaker.State to = transition.to();
      Level level = to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN ? Level.WARNING : Level.INFO;
      RejectionLimit limit = rejections.find(transition.breakerName());
      long unreported = limit == null ? 0 : limit.drain();
      if (logger.isLoggable(level)) {
        logger.log(
            level,
            "Circuit breaker '" + transition.breakerName() + "' changed from " + transition.from() + " to " + to
                + notLogged(unreported));
      }
    }

    private void rejected(CircuitBreakerEvent.NotPermitted rejection) {
      RejectionLimit limit = rejections.forEvent(rejection.breakerName());
      if (limit == null) {
        return;
      }
      long unreported = limit.tryLine(clock.nanos());
      if (unreported >= 0 && logger.isLoggable(Level.INFO)) {
        logger.log(
            Level.INFO,
            "Circuit breaker '" + rejection.breakerName() + "' is rejecting calls (" + rejection.state() + ")"
                + notLogged(unreported));
      }
    }

    private void rateExceeded(CircuitBreakerEvent event, String what, double rate) {
      if (logger.isLoggable(Level.WARNING)) {
        logger.log(
            Level.WARNING,
            "Circuit breaker '" + event.breakerName() + "' " + what + " rate "
                + String.format(Locale.ROOT, "%.1f", rate) + "% reached its threshold");
      }
    }

    private void log(Level level, String message) {
      if (logger.isLoggable(level)) {
        logger.log(level, message);
      }
    }

    private static String notLogged(long unreported) {
      return unreported > 0 ? "; " + unreported + " rejections not logged since the last line" : "";
    }
  }
}
