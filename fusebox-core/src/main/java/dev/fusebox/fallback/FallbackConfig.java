package dev.fusebox.fallback;

import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The immutable configuration of a {@link Fallback}: which failures it handles, and what it answers
 * instead. Built by a validating {@link Builder}.
 *
 * <h2>What is handled</h2>
 * Every {@link Exception} by default, or only those of {@link Builder#fallbackExceptions fallbackExceptions}
 * and {@link Builder#fallbackOnException fallbackOnException}; never {@link Builder#ignoreExceptions
 * ignoreExceptions}, nor an {@link Error} unless listed; and results matching
 * {@link Builder#fallbackOnResult fallbackOnResult}.
 *
 * <h2>What is answered</h2>
 * <ol>
 *   <li>With {@link Builder#lastKnownGood(Duration, int) lastKnownGood}, the last value the call returned for
 *       the same key, if it is younger than the maximum age (a stale value, optionally marked by
 *       {@link Builder#markStale markStale});</li>
 *   <li>otherwise the alternative, if one is set: {@link Builder#fallbackValue a value},
 *       {@link Builder#fallbackSupplier a supplier} or {@link Builder#fallbackFunction a function of the
 *       failure};</li>
 *   <li>otherwise the call's own outcome: its exception is rethrown, its rejected result returned.</li>
 * </ol>
 * A builder given no strategy at all uses a last-known-good cache of 1,000 keys kept for 10 minutes, which
 * is what {@link #ofDefaults()} holds.
 *
 * <table>
 *   <caption>Options and their defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#fallbackExceptions fallbackExceptions}, {@link Builder#fallbackOnException
 *       fallbackOnException}</td><td>every {@link Exception}</td></tr>
 *   <tr><td>{@link Builder#ignoreExceptions ignoreExceptions}</td><td>none</td></tr>
 *   <tr><td>{@link Builder#fallbackOnResult fallbackOnResult}</td><td>no result is replaced</td></tr>
 *   <tr><td>{@link Builder#lastKnownGood(Duration, int) lastKnownGood}</td><td>10 minutes, 1,000 keys when
 *       no alternative is set; else off</td></tr>
 *   <tr><td>{@link Builder#fallbackValue fallbackValue}, {@link Builder#fallbackSupplier fallbackSupplier},
 *       {@link Builder#fallbackFunction fallbackFunction}</td><td>none</td></tr>
 *   <tr><td>{@link Builder#keyFunction keyFunction}</td><td>the function's argument</td></tr>
 *   <tr><td>{@link Builder#markStale markStale}</td><td>the value unchanged</td></tr>
 *   <tr><td>{@link Builder#ticker(Ticker) ticker}</td><td>{@link Ticker#coarse()}</td></tr>
 * </table>
 *
 * <pre>{@code
 * FallbackConfig<Price> config = FallbackConfig.<Price>builder()
 *     .fallbackOnResult(price -> price.isUnavailable())
 *     .lastKnownGood(Duration.ofMinutes(5), 10_000)
 *     .fallbackValue(Price.UNKNOWN)
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and threadsafe; each {@link Fallback} built from one keeps its own cache.
 *
 * @param <T> the type of the values the fallback answers with
 */
public final class FallbackConfig<T> {

  static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);
  static final int DEFAULT_MAX_SIZE = 1_000;
  static final int MAX_MAX_SIZE = 100_000_000;

  /** Which alternative answers when the cache cannot. */
  enum Alternative {
    NONE,
    VALUE,
    SUPPLIER,
    FUNCTION
  }

  private static final FallbackConfig<?> DEFAULTS = builder().build();

  private final List<Class<? extends Throwable>> fallbackExceptions;
  private final List<Class<? extends Throwable>> ignoreExceptions;
  private final Predicate<Throwable> fallbackOnException;
  private final Predicate<? super T> fallbackOnResult;
  private final boolean lastKnownGood;
  /** Whether {@code lastKnownGood(...)} was called, as opposed to the default cache of a builder without strategy. */
  private final boolean lastKnownGoodSet;
  private final Duration lastKnownGoodMaxAge;
  private final int lastKnownGoodMaxSize;
  private final Alternative alternative;
  private final T fallbackValue;
  private final Supplier<? extends T> fallbackSupplier;
  private final Function<? super Throwable, ? extends T> fallbackFunction;
  private final Function<Object, ?> keyFunction;
  private final BiFunction<? super T, ? super Duration, ? extends T> markStale;
  private final Ticker ticker;

  private FallbackConfig(Builder<T> b) {
    this.fallbackExceptions = b.fallbackExceptions;
    this.ignoreExceptions = b.ignoreExceptions;
    this.fallbackOnException = b.fallbackOnException;
    this.fallbackOnResult = b.fallbackOnResult;
    this.alternative = b.alternative();
    this.lastKnownGoodSet = b.lastKnownGoodMaxAge != null;
    this.lastKnownGood = lastKnownGoodSet || alternative == Alternative.NONE;
    this.lastKnownGoodMaxAge = b.lastKnownGoodMaxAge != null ? b.lastKnownGoodMaxAge : DEFAULT_MAX_AGE;
    this.lastKnownGoodMaxSize = b.lastKnownGoodMaxAge != null ? b.lastKnownGoodMaxSize : DEFAULT_MAX_SIZE;
    this.fallbackValue = b.fallbackValue;
    this.fallbackSupplier = b.fallbackSupplier;
    this.fallbackFunction = b.fallbackFunction;
    this.keyFunction = b.keyFunction;
    this.markStale = b.markStale;
    this.ticker = b.ticker;
  }

  /**
   * Returns a builder with every option at its default.
   *
   * @param <T> the type of the values the fallback answers with
   * @return a builder with every option at its default
   */
  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /**
   * Returns the default configuration: every exception handled by a last-known-good cache, nothing else.
   *
   * @param <T> the type of the values the fallback answers with
   * @return the default configuration: every exception handled by a last-known-good cache, nothing else
   */
  @SuppressWarnings("unchecked")
  public static <T> FallbackConfig<T> ofDefaults() {
    // Holds no value of type T, so it serves every T.
    return (FallbackConfig<T>) DEFAULTS;
  }

  /**
   * Returns a builder holding this configuration's options, to derive a variant from it.
   *
   * @return a builder holding this configuration's options, to derive a variant from it
   */
  public Builder<T> toBuilder() {
    return new Builder<>(this);
  }

  /**
   * Returns the exception types handled; empty means every exception, unless a predicate is set.
   *
   * @return the exception types handled; empty means every exception, unless a predicate is set
   */
  public List<Class<? extends Throwable>> fallbackExceptions() {
    return fallbackExceptions;
  }

  /**
   * Returns the exception types never handled.
   *
   * @return the exception types never handled
   */
  public List<Class<? extends Throwable>> ignoreExceptions() {
    return ignoreExceptions;
  }

  /**
   * Returns the predicate of exceptions handled, if one was set.
   *
   * @return the predicate of exceptions handled, if one was set
   */
  public Optional<Predicate<Throwable>> fallbackOnException() {
    return Optional.ofNullable(fallbackOnException);
  }

  /**
   * Returns the predicate of results replaced, if one was set.
   *
   * @return the predicate of results replaced, if one was set
   */
  public Optional<Predicate<? super T>> fallbackOnResult() {
    return Optional.ofNullable(fallbackOnResult);
  }

  /**
   * Returns whether a last-known-good cache answers first.
   *
   * @return whether a last-known-good cache answers first
   */
  public boolean lastKnownGood() {
    return lastKnownGood;
  }

  /**
   * Returns the oldest value the last-known-good cache serves.
   *
   * @return the oldest value the last-known-good cache serves
   */
  public Duration lastKnownGoodMaxAge() {
    return lastKnownGoodMaxAge;
  }

  /**
   * Returns how many keys the last-known-good cache keeps.
   *
   * @return how many keys the last-known-good cache keeps
   */
  public int lastKnownGoodMaxSize() {
    return lastKnownGoodMaxSize;
  }

  /**
   * Returns whether an alternative (value, supplier or function) answers when the cache cannot.
   *
   * @return whether an alternative (value, supplier or function) answers when the cache cannot
   */
  public boolean hasAlternative() {
    return alternative != Alternative.NONE;
  }

  /**
   * Returns the ticker that ages the last-known-good values.
   *
   * @return the ticker that ages the last-known-good values
   */
  public Ticker ticker() {
    return ticker;
  }

  Alternative alternative() {
    return alternative;
  }

  T fallbackValue() {
    return fallbackValue;
  }

  Supplier<? extends T> fallbackSupplier() {
    return fallbackSupplier;
  }

  Function<? super Throwable, ? extends T> fallbackFunction() {
    return fallbackFunction;
  }

  Function<Object, ?> keyFunction() {
    return keyFunction;
  }

  BiFunction<? super T, ? super Duration, ? extends T> markStale() {
    return markStale;
  }

  Predicate<Throwable> fallbackOnExceptionOrNull() {
    return fallbackOnException;
  }

  Predicate<? super T> fallbackOnResultOrNull() {
    return fallbackOnResult;
  }

  @Override
  public String toString() {
    return "FallbackConfig{fallbackExceptions=" + names(fallbackExceptions)
        + ", ignoreExceptions=" + names(ignoreExceptions)
        + ", fallbackOnException=" + (fallbackOnException != null ? "set" : "none")
        + ", fallbackOnResult=" + (fallbackOnResult != null ? "set" : "none")
        + ", lastKnownGood=" + (lastKnownGood ? lastKnownGoodMaxAge + "/" + lastKnownGoodMaxSize : "off")
        + ", alternative=" + alternative
        + ", ticker=" + ticker
        + '}';
  }

  private static String names(List<Class<? extends Throwable>> types) {
    return types.stream().map(Class::getName).toList().toString();
  }

  /**
   * Builds a {@link FallbackConfig}. Setters reject {@code null} at once with a {@link NullPointerException}
   * naming the option ({@link #fallbackValue} excepted: null is a legitimate answer); {@link #build()}
   * checks every range and reports all violations in one {@link IllegalArgumentException}.
   *
   * <p>Not threadsafe.
   *
   * @param <T> the type of the values the fallback answers with
   */
  public static final class Builder<T> {
    private List<Class<? extends Throwable>> fallbackExceptions = List.of();
    private List<Class<? extends Throwable>> ignoreExceptions = List.of();
    private Predicate<Throwable> fallbackOnException;
    private Predicate<? super T> fallbackOnResult;
    private Duration lastKnownGoodMaxAge;
    private int lastKnownGoodMaxSize;
    private boolean valueSet;
    private T fallbackValue;
    private Supplier<? extends T> fallbackSupplier;
    private Function<? super Throwable, ? extends T> fallbackFunction;
    private Function<Object, ?> keyFunction = Function.identity();
    private BiFunction<? super T, ? super Duration, ? extends T> markStale;
    private Ticker ticker = Ticker.coarse();

    private Builder() {}

    private Builder(FallbackConfig<T> c) {
      this.fallbackExceptions = c.fallbackExceptions;
      this.ignoreExceptions = c.ignoreExceptions;
      this.fallbackOnException = c.fallbackOnException;
      this.fallbackOnResult = c.fallbackOnResult;
      if (c.lastKnownGoodSet) {
        this.lastKnownGoodMaxAge = c.lastKnownGoodMaxAge;
        this.lastKnownGoodMaxSize = c.lastKnownGoodMaxSize;
      }
      this.valueSet = c.alternative == Alternative.VALUE;
      this.fallbackValue = c.fallbackValue;
      this.fallbackSupplier = c.fallbackSupplier;
      this.fallbackFunction = c.fallbackFunction;
      this.keyFunction = c.keyFunction;
      this.markStale = c.markStale;
      this.ticker = c.ticker;
    }

    /**
     * Handles only exceptions of these types and their subtypes (and those matched by
     * {@link #fallbackOnException}); others reach the caller unchanged. By default every {@link Exception}
     * is handled, and no {@link Error}. Replaces the types set before.
     *
     * @param types the exception types handled
     * @return this builder
     */
    @SafeVarargs
    public final Builder<T> fallbackExceptions(Class<? extends Throwable>... types) {
      this.fallbackExceptions = copyTypes("fallbackExceptions", types);
      return this;
    }

    /**
     * Never handles exceptions of these types and their subtypes; wins over every other rule.
     *
     * @param types the exception types never handled
     * @return this builder
     */
    @SafeVarargs
    public final Builder<T> ignoreExceptions(Class<? extends Throwable>... types) {
      this.ignoreExceptions = copyTypes("ignoreExceptions", types);
      return this;
    }

    /**
     * Handles exceptions matching this predicate, in addition to {@link #fallbackExceptions}.
     *
     * @param predicate true for an exception to handle
     * @return this builder
     */
    public Builder<T> fallbackOnException(Predicate<Throwable> predicate) {
      this.fallbackOnException = Objects.requireNonNull(predicate, "fallbackOnException predicate must not be null");
      return this;
    }

    /**
     * Replaces results matching this predicate (an HTTP 503 response, say) as if the call had failed; such
     * results are not recorded as last known good. The predicate receives {@code null} results too.
     *
     * @param predicate true for a result to replace
     * @return this builder
     */
    public Builder<T> fallbackOnResult(Predicate<? super T> predicate) {
      this.fallbackOnResult = Objects.requireNonNull(predicate, "fallbackOnResult predicate must not be null");
      return this;
    }

    /**
     * Records every successful answer per key and, while the call fails, serves the latest one younger than
     * {@code maxAge} (positive), keeping at most {@code maxSize} keys (1 to 100,000,000; the key written
     * least recently goes first). The key is the argument of a decorated function (see
     * {@link #keyFunction}), the key given to the keyed methods, or one shared key for the other calls.
     * Callers learn that a value is stale from the {@code ...ForResult} methods, {@link #markStale}, or the
     * events.
     *
     * @param maxAge the oldest value served; positive
     * @param maxSize the most keys kept; at least 1
     * @return this builder
     */
    public Builder<T> lastKnownGood(Duration maxAge, int maxSize) {
      this.lastKnownGoodMaxAge = Objects.requireNonNull(maxAge, "lastKnownGood maxAge must not be null");
      this.lastKnownGoodMaxSize = maxSize;
      return this;
    }

    /**
     * Answers with this value (null allowed) when the cache, if any, cannot.
     *
     * @param value the answer; may be null
     * @return this builder
     */
    public Builder<T> fallbackValue(T value) {
      this.valueSet = true;
      this.fallbackValue = value;
      return this;
    }

    /**
     * Answers by calling this supplier (an alternative source) when the cache, if any, cannot.
     *
     * @param supplier produces the answer
     * @return this builder
     */
    public Builder<T> fallbackSupplier(Supplier<? extends T> supplier) {
      this.fallbackSupplier = Objects.requireNonNull(supplier, "fallbackSupplier must not be null");
      return this;
    }

    /**
     * Answers with this function of the failure when the cache, if any, cannot; for a rejected result it
     * receives a {@link RejectedResultException} holding that result.
     *
     * @param function produces the answer from the call's exception
     * @return this builder
     */
    public Builder<T> fallbackFunction(Function<? super Throwable, ? extends T> function) {
      this.fallbackFunction = Objects.requireNonNull(function, "fallbackFunction must not be null");
      return this;
    }

    /**
     * Derives the cache key from a decorated function's argument; by default the argument itself.
     *
     * @param keyFunction maps the function's argument to its cache key
     * @return this builder
     */
    public Builder<T> keyFunction(Function<Object, ?> keyFunction) {
      this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction must not be null");
      return this;
    }

    /**
     * Transforms a stale value before it is served, given its age: for instance to add a
     * {@code Warning: 110} header to a cached HTTP response, so that callers see staleness in the value
     * itself, even through the plain {@code execute} methods.
     *
     * @param markStale given the stale value and its age, the value to serve instead
     * @return this builder
     */
    public Builder<T> markStale(BiFunction<? super T, ? super Duration, ? extends T> markStale) {
      this.markStale = Objects.requireNonNull(markStale, "markStale must not be null");
      return this;
    }

    /**
     * Sets the ticker that ages last-known-good values; default {@link Ticker#coarse()}.
     *
     * @param ticker the ticker that ages last-known-good values; default {@link Ticker#coarse()}
     * @return this builder
     */
    public Builder<T> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    Alternative alternative() {
      if (fallbackFunction != null) {
        return Alternative.FUNCTION;
      }
      if (fallbackSupplier != null) {
        return Alternative.SUPPLIER;
      }
      return valueSet ? Alternative.VALUE : Alternative.NONE;
    }

    /**
     * Validates every option and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public FallbackConfig<T> build() {
      Validation v = new Validation("FallbackConfig");
      int alternatives = (valueSet ? 1 : 0) + (fallbackSupplier != null ? 1 : 0) + (fallbackFunction != null ? 1 : 0);
      v.require(
          alternatives <= 1,
          "fallbackValue, fallbackSupplier and fallbackFunction are alternatives: set at most one, "
              + alternatives + " were set");
      if (lastKnownGoodMaxAge != null) {
        v.positive("lastKnownGood maxAge", lastKnownGoodMaxAge).fitsNanos("lastKnownGood maxAge", lastKnownGoodMaxAge);
        v.check(
            lastKnownGoodMaxSize >= 1 && lastKnownGoodMaxSize <= MAX_MAX_SIZE,
            "lastKnownGood maxSize",
            "must be in [1, " + MAX_MAX_SIZE + "]",
            lastKnownGoodMaxSize);
      }
      v.throwIfInvalid();
      return new FallbackConfig<>(this);
    }

    private static List<Class<? extends Throwable>> copyTypes(String option, Class<? extends Throwable>[] types) {
      Objects.requireNonNull(types, option + " must not be null");
      for (int i = 0; i < types.length; i++) {
        if (types[i] == null) {
          throw new NullPointerException(option + " must not contain null, found one at index " + i);
        }
      }
      return List.copyOf(Arrays.asList(types));
    }
  }
}
