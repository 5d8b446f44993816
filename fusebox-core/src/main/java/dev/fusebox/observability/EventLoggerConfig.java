package dev.fusebox.observability;

import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of an {@link EventLogger}, built by a validating {@link Builder}.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#logger(System.Logger) logger}</td><td>{@code System.getLogger("dev.fusebox.circuitbreaker")}
 *       </td></tr>
 *   <tr><td>{@link Builder#rejectionLogPeriod(Duration) rejectionLogPeriod}</td><td>10 s</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#coarse()}</td></tr>
 * </table>
 *
 * <pre>{@code
 * EventLoggerConfig config = EventLoggerConfig.builder()
 *     .rejectionLogPeriod(Duration.ofMinutes(1))
 *     .build();
 * Subscription logging = EventLogger.attach(registry, config);
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe.
 */
public final class EventLoggerConfig {

  /** The name of the default logger. */
  public static final String DEFAULT_LOGGER_NAME = "dev.fusebox.circuitbreaker";

  static final Duration DEFAULT_REJECTION_LOG_PERIOD = Duration.ofSeconds(10);

  private static final EventLoggerConfig DEFAULTS = builder().build();

  private final System.Logger logger;
  private final Duration rejectionLogPeriod;
  private final Ticker ticker;

  private EventLoggerConfig(Builder b) {
    this.logger = b.logger != null ? b.logger : System.getLogger(DEFAULT_LOGGER_NAME);
    this.rejectionLogPeriod = b.rejectionLogPeriod;
    this.ticker = b.ticker;
  }

  /**
   * Returns a builder with every option at its default.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration with every option at its default.
   *
   * @return the configuration with every option at its default
   */
  public static EventLoggerConfig ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding this configuration's options.
   *
   * @return a builder holding this configuration's options
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * See {@link Builder#logger(System.Logger)}.
   *
   * @return where the lines go
   */
  public System.Logger logger() {
    return logger;
  }

  /**
   * See {@link Builder#rejectionLogPeriod(Duration)}.
   *
   * @return the shortest time between two lines about rejected calls of one breaker: the first rejection is
   *     logged at once, those that follow within the period are only counted, and the next line says how many
   *     were not logged
   */
  public Duration rejectionLogPeriod() {
    return rejectionLogPeriod;
  }

  /**
   * See {@link Builder#ticker(Ticker)}.
   *
   * @return the time source of the rejection period; tests pass a hand-driven ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public String toString() {
    return "EventLoggerConfig[logger=" + logger.getName() + ", rejectionLogPeriod=" + rejectionLogPeriod + "]";
  }

  /** Builds an {@link EventLoggerConfig}; not threadsafe. */
  public static final class Builder {

    private System.Logger logger;
    private Duration rejectionLogPeriod = DEFAULT_REJECTION_LOG_PERIOD;
    private Ticker ticker = Ticker.coarse();

    private Builder() {}

    private Builder(EventLoggerConfig config) {
      this.logger = config.logger;
      this.rejectionLogPeriod = config.rejectionLogPeriod;
      this.ticker = config.ticker;
    }

    /**
     * Sets where the lines go. By default {@code System.getLogger("dev.fusebox.circuitbreaker")}, which is
     * {@code java.util.logging} unless the application installs another {@link System.LoggerFinder} (SLF4J
     * and Log4j ship one).
     *
     * @param logger where the lines go
     * @return this builder
     */
    public Builder logger(System.Logger logger) {
      this.logger = Objects.requireNonNull(logger, "logger must not be null");
      return this;
    }

    /**
     * Sets the shortest time between two lines about rejected calls of one breaker: the first rejection is
     * logged at once, those that follow within the period are only counted, and the next line says how
     * many were not logged. An open breaker under load therefore writes one line per period, not one per
     * call. Default 10 s; must be positive.
     *
     * @param period the shortest time between two lines about rejected calls of one breaker: the first
     *     rejection is logged at once, those that follow within the period are only counted, and the next
     *     line says how many were not logged
     * @return this builder
     */
    public Builder rejectionLogPeriod(Duration period) {
      this.rejectionLogPeriod = Objects.requireNonNull(period, "rejectionLogPeriod must not be null");
      return this;
    }

    /**
     * Sets the time source of the rejection period; tests pass a hand-driven ticker.
     *
     * @param ticker the time source of the rejection period; tests pass a hand-driven ticker
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public EventLoggerConfig build() {
      new Validation("EventLoggerConfig")
          .positive("rejectionLogPeriod", rejectionLogPeriod)
          .fitsNanos("rejectionLogPeriod", rejectionLogPeriod)
          .throwIfInvalid();
      return new EventLoggerConfig(this);
    }
  }
}
