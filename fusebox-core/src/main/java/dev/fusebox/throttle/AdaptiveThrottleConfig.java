package dev.fusebox.throttle;

import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The immutable configuration of an {@link AdaptiveThrottle}, built by a validating {@link Builder}.
 *
 * <p>Over the {@link Builder#samplingWindow(Duration) samplingWindow} the throttle counts the requests made
 * and the ones the dependency accepted, and rejects a new request locally with probability
 * {@code min(maxRejectionProbability, max(0, (requests - k * accepts) / (requests + 1)))}, the client-side
 * throttling of Google's SRE book (chapter "Handling Overload"). The names are those of Envoy's admission
 * control filter where it has the option ({@code sampling_window}, {@code max_rejection_probability}) and of
 * the SRE book otherwise ({@code K}):
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@link Builder#k(double) k}</td><td>2.0</td>
 *       <td>how many requests per accept the dependency may receive before the throttle sheds load</td></tr>
 *   <tr><td>{@link Builder#samplingWindow(Duration) samplingWindow}</td><td>2 minutes</td>
 *       <td>how far back requests and accepts are counted</td></tr>
 *   <tr><td>{@link Builder#maxRejectionProbability(double) maxRejectionProbability}</td><td>0.9</td>
 *       <td>the cap of the rejection probability, so that some requests always find out whether the
 *       dependency is back</td></tr>
 *   <tr><td>{@link Builder#minimumNumberOfRequests(int) minimumNumberOfRequests}</td><td>0</td>
 *       <td>below this many requests in the window nothing is rejected</td></tr>
 *   <tr><td>{@link Builder#recordExceptions recordExceptions}, {@link Builder#recordException
 *       recordException}</td><td>every exception is a failure</td><td>what the dependency did not
 *       accept</td></tr>
 *   <tr><td>{@link Builder#ignoreExceptions ignoreExceptions}, {@link Builder#ignoreException
 *       ignoreException}</td><td>none</td><td>outcomes that count for nothing</td></tr>
 *   <tr><td>{@link Builder#recordResult(Predicate) recordResult}</td><td>every result is accepted</td>
 *       <td>results the dependency did not accept (an HTTP 503)</td></tr>
 *   <tr><td>{@link Builder#random(RandomGenerator) random}</td><td>each thread's
 *       {@link java.util.concurrent.ThreadLocalRandom}</td><td>the source of the rejection draws</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#coarse()}</td>
 *       <td>the clock of the window</td></tr>
 * </table>
 *
 * <pre>{@code
 * AdaptiveThrottleConfig config = AdaptiveThrottleConfig.builder()
 *     .k(1.5)                                          // shed sooner than the book's 2
 *     .samplingWindow(Duration.ofMinutes(1))
 *     .maxRejectionProbability(0.8)                    // Envoy's default
 *     .recordResult(r -> ((HttpResponse<?>) r).statusCode() >= 500)
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe; one configuration can serve any number of throttles.
 */
public final class AdaptiveThrottleConfig {

  static final double DEFAULT_K = 2.0;
  static final Duration DEFAULT_SAMPLING_WINDOW = Duration.ofMinutes(2);
  static final double DEFAULT_MAX_REJECTION_PROBABILITY = 0.9;

  private static final AdaptiveThrottleConfig DEFAULTS = builder().build();

  private final double k;
  private final Duration samplingWindow;
  private final double maxRejectionProbability;
  private final int minimumNumberOfRequests;
  private final List<Class<? extends Throwable>> recordExceptions;
  private final List<Class<? extends Throwable>> ignoreExceptions;
  private final Predicate<Throwable> recordException;
  private final Predicate<Throwable> ignoreException;
  private final Predicate<Object> recordResult;
  private final RandomGenerator random;
  private final Ticker ticker;

  private AdaptiveThrottleConfig(Builder b) {
    this.k = b.k;
    this.samplingWindow = b.samplingWindow;
    this.maxRejectionProbability = b.maxRejectionProbability;
    this.minimumNumberOfRequests = b.minimumNumberOfRequests;
    this.recordExceptions = b.recordExceptions;
    this.ignoreExceptions = b.ignoreExceptions;
    this.recordException = b.recordException;
    this.ignoreException = b.ignoreException;
    this.recordResult = b.recordResult;
    this.random = b.random;
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
  public static AdaptiveThrottleConfig ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding this configuration's options, to derive a variant from it.
   *
   * @return a builder holding this configuration's options, to derive a variant from it
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * See {@link Builder#k(double)}.
   *
   * @return K, the SRE book's multiplier (a finite number above 0; default 2.0): the dependency may receive
   *     up to K requests per request it accepts before the throttle rejects any locally
   */
  public double k() {
    return k;
  }

  /**
   * See {@link Builder#samplingWindow(Duration)}.
   *
   * @return how far back requests and accepts are counted (positive; default 2 minutes, as in the SRE book)
   */
  public Duration samplingWindow() {
    return samplingWindow;
  }

  /**
   * See {@link Builder#maxRejectionProbability(double)}.
   *
   * @return the cap on the rejection probability, in (0, 1]
   */
  public double maxRejectionProbability() {
    return maxRejectionProbability;
  }

  /**
   * See {@link Builder#minimumNumberOfRequests(int)}.
   *
   * @return how many requests the window must hold before anything is rejected
   */
  public int minimumNumberOfRequests() {
    return minimumNumberOfRequests;
  }

  /**
   * Returns the exception types recorded as failures; empty means every exception not ignored.
   *
   * @return the exception types recorded as failures; empty means every exception not ignored
   */
  public List<Class<? extends Throwable>> recordExceptions() {
    return recordExceptions;
  }

  /**
   * Returns the exception types whose calls count for nothing.
   *
   * @return the exception types whose calls count for nothing
   */
  public List<Class<? extends Throwable>> ignoreExceptions() {
    return ignoreExceptions;
  }

  /**
   * Returns the predicate of exceptions recorded as failures, if one was set.
   *
   * @return the predicate of exceptions recorded as failures, if one was set
   */
  public Optional<Predicate<Throwable>> recordException() {
    return Optional.ofNullable(recordException);
  }

  /**
   * Returns the predicate of exceptions whose calls count for nothing, if one was set.
   *
   * @return the predicate of exceptions whose calls count for nothing, if one was set
   */
  public Optional<Predicate<Throwable>> ignoreException() {
    return Optional.ofNullable(ignoreException);
  }

  /**
   * Returns the predicate of results recorded as failures, if one was set.
   *
   * @return the predicate of results recorded as failures, if one was set
   */
  public Optional<Predicate<Object>> recordResult() {
    return Optional.ofNullable(recordResult);
  }

  /**
   * Returns the source of the rejection draws, if one was set; else each thread's own is used.
   *
   * @return the source of the rejection draws, if one was set; else each thread's own is used
   */
  public Optional<RandomGenerator> random() {
    return Optional.ofNullable(random);
  }

  /**
   * See {@link Builder#ticker(Ticker)}.
   *
   * @return the time source of the window; tests pass a hand-driven ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  Predicate<Throwable> recordExceptionOrNull() {
    return recordException;
  }

  Predicate<Throwable> ignoreExceptionOrNull() {
    return ignoreException;
  }

  Predicate<Object> recordResultOrNull() {
    return recordResult;
  }

  RandomGenerator randomOrNull() {
    return random;
  }

  @Override
  public String toString() {
    return "AdaptiveThrottleConfig{k=" + k
        + ", samplingWindow=" + samplingWindow
        + ", maxRejectionProbability=" + maxRejectionProbability
        + ", minimumNumberOfRequests=" + minimumNumberOfRequests
        + ", recordExceptions=" + names(recordExceptions)
        + ", ignoreExceptions=" + names(ignoreExceptions)
        + ", recordException=" + (recordException != null ? "set" : "none")
        + ", ignoreException=" + (ignoreException != null ? "set" : "none")
        + ", recordResult=" + (recordResult != null ? "set" : "none")
        + ", random=" + (random != null ? random : "ThreadLocalRandom")
        + ", ticker=" + ticker
        + '}';
  }

  private static List<String> names(List<Class<? extends Throwable>> types) {
    return types.stream().map(Class::getName).toList();
  }

  /**
   * Builds an {@link AdaptiveThrottleConfig}. Setters reject {@code null} at once with a
   * {@link NullPointerException} naming the option; {@link #build()} checks every range and reports all
   * violations in one {@link IllegalArgumentException}. Not threadsafe.
   */
  public static final class Builder {
    private double k = DEFAULT_K;
    private Duration samplingWindow = DEFAULT_SAMPLING_WINDOW;
    private double maxRejectionProbability = DEFAULT_MAX_REJECTION_PROBABILITY;
    private int minimumNumberOfRequests;
    private List<Class<? extends Throwable>> recordExceptions = List.of();
    private List<Class<? extends Throwable>> ignoreExceptions = List.of();
    private Predicate<Throwable> recordException;
    private Predicate<Throwable> ignoreException;
    private Predicate<Object> recordResult;
    private RandomGenerator random;
    private Ticker ticker = Ticker.coarse();

    private Builder() {}

    private Builder(AdaptiveThrottleConfig c) {
      this.k = c.k;
      this.samplingWindow = c.samplingWindow;
      this.maxRejectionProbability = c.maxRejectionProbability;
      this.minimumNumberOfRequests = c.minimumNumberOfRequests;
      this.recordExceptions = c.recordExceptions;
      this.ignoreExceptions = c.ignoreExceptions;
      this.recordException = c.recordException;
      this.ignoreException = c.ignoreException;
      this.recordResult = c.recordResult;
      this.random = c.random;
      this.ticker = c.ticker;
    }

    /**
     * Sets K, the SRE book's multiplier (a finite number above 0; default 2.0): the dependency may receive
     * up to K requests per request it accepts before the throttle rejects any locally. With 2.0 nothing is
     * rejected while at least half the requests are accepted; lower values shed load sooner, higher ones
     * later. Envoy's admission control expresses the same as {@code success_rate_threshold} = 1/K, and
     * failsafe-go's adaptive throttler as a failure rate threshold of 1 - 1/K.
     *
     * @param k K, the SRE book's multiplier (a finite number above 0; default 2.0): the dependency may
     *     receive up to K requests per request it accepts before the throttle rejects any locally
     * @return this builder
     */
    public Builder k(double k) {
      this.k = k;
      return this;
    }

    /**
     * Sets how far back requests and accepts are counted (positive; default 2 minutes, as in the SRE book).
     * The window is kept in buckets of about a second, at least 10 and at most 1,000 of them (a 2-minute
     * window has 120 one-second buckets), and reaches back between its span less one bucket and its span.
     * Buckets move on when a request is decided, so an outcome reported after a spell with no decisions
     * counts in the bucket of the last one. Named after Envoy's {@code sampling_window}.
     *
     * @param window how far back requests and accepts are counted (positive; default 2 minutes, as in the SRE
     *     book)
     * @return this builder
     */
    public Builder samplingWindow(Duration window) {
      this.samplingWindow = Objects.requireNonNull(window, "samplingWindow must not be null");
      return this;
    }

    /**
     * Caps the rejection probability (in (0, 1]; default 0.9, failsafe-go's {@code maxRejectionRate}; Envoy's
     * {@code max_rejection_probability} defaults to 0.8). Below 1, the rest of the requests still reaches a
     * dependency that accepts nothing, so the throttle sees it recover; the lower the cap, the more requests
     * test it while it is down and the sooner the probability falls back once it is up.
     *
     * @param probability the highest share of requests rejected, in (0, 1]; default 0.9
     * @return this builder
     */
    public Builder maxRejectionProbability(double probability) {
      this.maxRejectionProbability = probability;
      return this;
    }

    /**
     * Rejects nothing while the window holds fewer than this many requests (at least 0; default 0, the SRE
     * formula as the book gives it), so that a handful of failures of a quiet dependency does not shed its
     * next calls. Resilience4j's breaker calls the same {@code minimumNumberOfCalls}, failsafe-go's adaptive
     * throttler its execution threshold.
     *
     * @param requests the requests the window must hold before any is rejected; at least 0, default 0
     * @return this builder
     */
    public Builder minimumNumberOfRequests(int requests) {
      this.minimumNumberOfRequests = requests;
      return this;
    }

    /**
     * Records only exceptions of these types (and their subtypes) as failures, requests the dependency did
     * not accept; any other exception that is not ignored counts as accepted: the dependency answered,
     * if with a refusal of this one request. Replaces the types set before.
     *
     * @param types the exception types whose requests count as not accepted
     * @return this builder
     */
    @SafeVarargs
    public final Builder recordExceptions(Class<? extends Throwable>... types) {
      this.recordExceptions = copyTypes("recordExceptions", types);
      return this;
    }

    /**
     * Ignores exceptions of these types (and their subtypes): their calls count neither as requests nor as
     * accepts, as if they had not been made. Ignoring wins over recording. Replaces the types set before.
     *
     * @param types the exception types whose requests count neither as requests nor as accepts
     * @return this builder
     */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      this.ignoreExceptions = copyTypes("ignoreExceptions", types);
      return this;
    }

    /**
     * Records exceptions matching this predicate as failures, in addition to {@link #recordExceptions}; once
     * either is set, other exceptions that are not ignored count as accepted.
     *
     * @param predicate true for an exception to record as a failure
     * @return this builder
     */
    public Builder recordException(Predicate<Throwable> predicate) {
      this.recordException = Objects.requireNonNull(predicate, "recordException predicate must not be null");
      return this;
    }

    /**
     * Ignores exceptions matching this predicate, in addition to {@link #ignoreExceptions}.
     *
     * @param predicate true for an exception to ignore
     * @return this builder
     */
    public Builder ignoreException(Predicate<Throwable> predicate) {
      this.ignoreException = Objects.requireNonNull(predicate, "ignoreException predicate must not be null");
      return this;
    }

    /**
     * Records results matching this predicate as failures (an HTTP 503 or 429, say); every other result is
     * accepted, a 404 included. The result is still returned to the caller. The predicate receives
     * {@code null} results too.
     *
     * @param predicate true for a result to record as a failure
     * @return this builder
     */
    public Builder recordResult(Predicate<Object> predicate) {
      this.recordResult = Objects.requireNonNull(predicate, "recordResult predicate must not be null");
      return this;
    }

    /**
     * Sets the source of the rejection draws; it must be threadsafe if the throttle is called from several
     * threads ({@link java.util.Random} is). A throttle draws only while its rejection probability is above
     * zero, one {@code nextDouble()} per request, so tests that pass a seeded source get the same decisions
     * on every run. By default each thread uses its {@link java.util.concurrent.ThreadLocalRandom}.
     *
     * @param random the source of the rejection draws; it must be threadsafe if the throttle is called from
     *     several threads ({@link java.util.Random} is)
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    /**
     * Sets the time source of the window; tests pass a hand-driven ticker. By default
     * {@link Ticker#coarse()}, whose millisecond is plenty for buckets of a second.
     *
     * @param ticker the time source of the window; tests pass a hand-driven ticker
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
    public AdaptiveThrottleConfig build() {
      Validation v = new Validation("AdaptiveThrottleConfig");
      v.check(k > 0 && Double.isFinite(k), "k", "must be a finite number above 0", k);
      v.positive("samplingWindow", samplingWindow).fitsNanos("samplingWindow", samplingWindow);
      v.check(
          maxRejectionProbability > 0 && maxRejectionProbability <= 1,
          "maxRejectionProbability",
          "must be in (0, 1]",
          maxRejectionProbability);
      v.atLeast("minimumNumberOfRequests", minimumNumberOfRequests, 0);
      v.throwIfInvalid();
      return new AdaptiveThrottleConfig(this);
    }

    private static List<Class<? extends Throwable>> copyTypes(String option, Class<? extends Throwable>[] types) {
      for (Class<? extends Throwable> type : Objects.requireNonNull(types, option + " must not be null")) {
        Objects.requireNonNull(type, option + " must not contain null");
      }
      return List.of(types);
    }
  }
}
