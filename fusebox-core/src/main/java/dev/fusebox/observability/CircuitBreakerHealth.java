package dev.fusebox.observability;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.HealthReport.BreakerHealth;
import dev.fusebox.observability.HealthReport.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sums up the health of a registry's circuit breakers for a health endpoint, a readiness probe or a status
 * page: which breakers are open, since when and until when, which are ramping up, and one overall
 * {@link Status}.
 *
 * <p>Every {@link #check()} reads each breaker's {@link CircuitBreaker#state() state} and
 * {@link CircuitBreaker#metrics() metrics} once; nothing is cached and nothing is subscribed, so a health
 * check costs the breakers nothing between checks. The overall status is {@link Status#DOWN} only when a
 * breaker marked {@linkplain Builder#critical(String...) critical} is open or forced open: a breaker
 * protecting an optional dependency (recommendations, say) makes the application
 * {@link Status#DEGRADED}, not down. See {@link HealthReport} for the rules.
 *
 * <pre>{@code
 * CircuitBreakerHealth health = CircuitBreakerHealth.builder(registry)
 *     .critical("payments", "auth")
 *     .build();
 * HealthReport report = health.check();
 * }</pre>
 *
 * <p>The instants of a report ({@code checkedAt}, {@code since}, {@code nextTrialAt}) are for display: they
 * come from the builder's {@link Builder#clock(Clock) clock} and the breakers' own durations, which are
 * measured on their tickers. This class is immutable and threadsafe.
 */
public final class CircuitBreakerHealth {

  private final CircuitBreakerRegistry registry;
  private final Set<String> criticalNames;
  private final Predicate<? super CircuitBreaker> criticalIf;
  private final Clock clock;

  private CircuitBreakerHealth(Builder b) {
    this.registry = b.registry;
    this.criticalNames = Set.copyOf(b.criticalNames);
    this.criticalIf = b.criticalIf;
    this.clock = b.clock;
  }

  /**
   * Returns a health check of the registry where no breaker is critical, so the status is never DOWN.
   *
   * @param registry the registry whose breakers, present and future, are checked
   * @return a health check of the registry where no breaker is critical, so the status is never DOWN
   */
  public static CircuitBreakerHealth of(CircuitBreakerRegistry registry) {
    return builder(registry).build();
  }

  /**
   * Returns a builder of a health check of the registry.
   *
   * @param registry the registry whose breakers, present and future, are checked
   * @return a builder of a health check of the registry
   */
  public static Builder builder(CircuitBreakerRegistry registry) {
    return new Builder(registry);
  }

  /**
   * Returns whether this health check counts the breaker as critical.
   *
   * @param breaker a breaker of the registry
   * @return whether this health check counts the breaker as critical
   */
  public boolean isCritical(CircuitBreaker breaker) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    return criticalNames.contains(breaker.name()) || (criticalIf != null && criticalIf.test(breaker));
  }

  /**
   * Reads every breaker of the registry now and sums up their health.
   *
   * @return the report, as of now
   */
  public HealthReport check() {
    Instant now = clock.instant();
    List<BreakerHealth> breakers = new ArrayList<>();
    Status overall = Status.UP;
    for (CircuitBreaker breaker : registry.all()) {
      BreakerHealth health = health(breaker, now);
      breakers.add(health);
      if (health.status().compareTo(overall) > 0) {
        overall = health.status();
      }
    }
    breakers.sort(Comparator.comparing(BreakerHealth::name));
    return new HealthReport(overall, now, breakers);
  }

  private BreakerHealth health(CircuitBreaker breaker, Instant now) {
    // Metrics do not carry the state, so the two are read one after the other. nextTrialIn() is present
    // exactly while OPEN: when the two reads disagree about that, the breaker moved in between, and the
    // state is read again to describe the newer stay.
    CircuitBreaker.State state = breaker.state();
    CircuitBreaker.Metrics metrics = breaker.metrics();
    Duration nextTrialIn = metrics.nextTrialIn().orElse(null);
    if ((state == CircuitBreaker.State.OPEN) != (nextTrialIn != null)) {
      state = breaker.state();
    }
    boolean critical = isCritical(breaker);
    Duration inState = metrics.timeInState();
    return new BreakerHealth(
        breaker.name(),
        state,
        status(state, metrics.rampPercentage(), critical),
        critical,
        now.minus(inState),
        inState,
        state == CircuitBreaker.State.OPEN && nextTrialIn != null ? now.plus(nextTrialIn) : null,
        metrics.rampPercentage(),
        metrics.failureRate(),
        metrics.slowCallRate());
  }

  /** The rule of {@link HealthReport}: what a state means for health. */
  static Status status(CircuitBreaker.State state, double rampPercentage, boolean critical) {
    return switch (state) {
      case OPEN, FORCED_OPEN -> critical ? Status.DOWN : Status.DEGRADED;
      case HALF_OPEN -> Status.DEGRADED;
      case CLOSED -> rampPercentage < 100 ? Status.DEGRADED : Status.UP;
      case DISABLED, METRICS_ONLY -> Status.UP;
    };
  }

  @Override
  public String toString() {
    return "CircuitBreakerHealth[" + registry + ", critical=" + criticalNames
        + (criticalIf != null ? " or by predicate" : "") + "]";
  }

  /** Builds a {@link CircuitBreakerHealth}; not threadsafe. */
  public static final class Builder {

    private final CircuitBreakerRegistry registry;
    private final Set<String> criticalNames = new HashSet<>();
    private Predicate<? super CircuitBreaker> criticalIf;
    private Clock clock = Clock.systemUTC();

    private Builder(CircuitBreakerRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    /**
     * Marks the breakers of these names critical: when one of them is open or forced open, the overall
     * status is {@link Status#DOWN}. Names of breakers not (yet) in the registry are allowed. Adds to the
     * names given before.
     *
     * @param names the names of the critical breakers, present or future
     * @return this builder
     */
    public Builder critical(String... names) {
      Objects.requireNonNull(names, "critical names must not be null");
      return critical(Arrays.asList(names));
    }

    /**
     * Marks the breakers of these names critical; see {@link #critical(String...)}.
     *
     * @param names the names of the critical breakers, present or future
     * @return this builder
     */
    public Builder critical(Collection<String> names) {
      Objects.requireNonNull(names, "critical names must not be null");
      for (String name : names) {
        Objects.requireNonNull(name, "critical names must not contain null");
        if (name.isBlank()) {
          throw new IllegalArgumentException("critical names must not be blank, was '" + name + "'");
        }
      }
      criticalNames.addAll(names);
      return this;
    }

    /**
     * Marks critical every breaker the predicate accepts (a naming convention, a configuration), in
     * addition to those named. Replaces a predicate given before.
     *
     * @param predicate true for a breaker that is critical
     * @return this builder
     */
    public Builder criticalIf(Predicate<? super CircuitBreaker> predicate) {
      this.criticalIf = Objects.requireNonNull(predicate, "criticalIf predicate must not be null");
      return this;
    }

    /**
     * Sets the wall clock of the report's instants, which are for display only. Default: UTC system clock.
     *
     * @param clock the wall clock of the report's instants, which are for display only
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Builds the health check.
     *
     * @return the health check
     */
    public CircuitBreakerHealth build() {
      return new CircuitBreakerHealth(this);
    }
  }
}
