package dev.fusebox.retry;

import dev.fusebox.Ticker;
import dev.fusebox.internal.Validation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * A cap on the extra load that retries add to one dependency: over a sliding window, retries may add at
 * most {@link #retryPercent() retryPercent} of the requests made in that window, plus a floor of
 * {@link #minRetriesPerSecond() minRetriesPerSecond} so that a quiet service can still retry. When the
 * budget is spent, a {@link Retry} gives up at once and returns the failure it has, instead of multiplying
 * the load on a dependency that is already failing: the remedy for retry storms that Finagle and gRPC use.
 *
 * <p>Share one budget between every {@link Retry} that calls the same dependency, through
 * {@link RetryConfig.Builder#retryBudget(RetryBudget)}; each call deposits once for its first attempt and
 * withdraws once per retry. Defaults are Finagle's: 20 percent, 10 retries per second, a 10 second window.
 *
 * <pre>{@code
 * RetryBudget inventoryBudget = RetryBudget.builder()
 *     .retryPercent(10)
 *     .minRetriesPerSecond(5)
 *     .window(Duration.ofSeconds(10))
 *     .build();
 * RetryConfig config = RetryConfig.builder().maxAttempts(4).retryBudget(inventoryBudget).build();
 * }</pre>
 *
 * <p>Precisely: the window is kept in ten buckets of a tenth of the window each, so a request counts for
 * between 0.9 and 1 window. A retry is granted when, counting it, the retries granted in the live buckets
 * stay within {@code floor(minRetriesPerSecond * window) + retryPercent / 100 * requests in the live
 * buckets}. This holds exactly under any number of threads; a thread delayed across a bucket boundary may
 * count its request or retry in the newer bucket.
 *
 * <p>Design note. One balance word, in hundred-thousandths of a retry, decides every withdrawal by CAS, so
 * two threads can never both spend the last retry. A request adds {@code retryPercent * 1000} to it, a retry
 * takes {@code 100_000}, and the floor is its starting value. Each bucket records its requests and retries in
 * two words packing a 32-bit epoch tag and a 32-bit count, so that expiring a bucket can give its requests'
 * credit back and refund its retries. The balance is never allowed to exceed the true value of the window,
 * only to lag below it, by ordering every step: a request is counted in its bucket before it is credited; a
 * retry is debited before it is counted; expiry subtracts a bucket's request credit <em>before</em> it
 * clears the word (a losing CAS adds the subtraction back), and refunds its retries only <em>after</em>
 * clearing it. Before deciding, a withdrawal expires every bucket older than the window it sees (helping any
 * thread already at it), so the credit of expired requests is gone from the balance before the decision.
 * Requests, the hot path, expire buckets only when they are the first to see a new epoch. Tags are
 * compared in serial arithmetic, which is sound while the budget is used at least once per 2^31 buckets
 * (over six years at the shortest window).
 *
 * <p>This class is threadsafe.
 */
public final class RetryBudget {

  /** Balance units per retry: percentages with three decimals are exact. */
  static final long UNITS_PER_RETRY = 100_000;
  static final int BUCKETS = 10;
  static final Duration MIN_WINDOW = Duration.ofSeconds(1);
  static final Duration MAX_WINDOW = Duration.ofHours(1);
  static final int MAX_MIN_RETRIES_PER_SECOND = 1_000_000;

  private static final int TAG_BITS = 32;
  private static final long COUNT_MASK = (1L << TAG_BITS) - 1;
  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle BALANCE;
  private static final VarHandle LAST_EPOCH;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      BALANCE = lookup.findVarHandle(RetryBudget.class, "balance", long.class);
      LAST_EPOCH = lookup.findVarHandle(RetryBudget.class, "lastEpoch", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final double retryPercent;
  private final int minRetriesPerSecond;
  private final Duration window;
  private final Ticker ticker;
  private final long reservedRetries;
  private final long creditPerRequest;
  private final long bucketNanos;
  private final long origin;
  private final long[] requests = new long[BUCKETS];
  private final long[] retries = new long[BUCKETS];
  private volatile long balance;
  private volatile long lastEpoch;

  private RetryBudget(Builder b) {
    this.retryPercent = b.retryPercent;
    this.minRetriesPerSecond = b.minRetriesPerSecond;
    this.window = b.window;
    this.ticker = b.ticker;
    long windowNanos = b.window.toNanos();
    this.reservedRetries = (long) Math.floor(b.minRetriesPerSecond * (windowNanos / 1e9));
    this.creditPerRequest = Math.round(b.retryPercent * (UNITS_PER_RETRY / 100));
    this.bucketNanos = windowNanos / BUCKETS;
    this.origin = ticker.nanos();
    for (int slot = 0; slot < BUCKETS; slot++) {
      // Epochs -9..0 own the slots at first; tag each empty word with the epoch it stands for.
      long epoch = -Math.floorMod(-slot, BUCKETS);
      requests[slot] = word(epoch, 0);
      retries[slot] = word(epoch, 0);
    }
    this.balance = reservedRetries * UNITS_PER_RETRY;
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
   * Returns a new budget with Finagle's defaults: 20 percent, 10 retries per second, a 10 second window.
   *
   * @return a new budget with Finagle's defaults: 20 percent, 10 retries per second, a 10 second window
   */
  public static RetryBudget ofDefaults() {
    return builder().build();
  }

  /**
   * Returns the share of requests, in percent, that retries may add.
   *
   * @return the share of requests, in percent, that retries may add
   */
  public double retryPercent() {
    return retryPercent;
  }

  /**
   * Returns the floor of retries per second granted whatever the number of requests.
   *
   * @return the floor of retries per second granted whatever the number of requests
   */
  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /**
   * Returns the span over which requests and retries are counted.
   *
   * @return the span over which requests and retries are counted
   */
  public Duration window() {
    return window;
  }

  /**
   * Returns the ticker that ages requests and retries out of the window.
   *
   * @return the ticker that ages requests and retries out of the window
   */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Records one request: its first attempt, which earns the credit that later retries spend. A
   * {@link Retry} calls this itself; call it by hand only for calls made without one.
   */
  public void recordRequest() {
    long epoch = epoch(ticker.nanos());
    if (epoch > lastEpoch) {
      advance(epoch);
    }
    if (count(requests, epoch)) {
      BALANCE.getAndAdd(this, creditPerRequest);
    }
  }

  /**
   * Spends one retry if the budget allows it. A {@link Retry} calls this before each retry.
   *
   * @return whether the retry may proceed
   */
  public boolean tryAcquireRetry() {
    long epoch = epoch(ticker.nanos());
    advance(epoch);
    for (;;) {
      long current = balance;
      if (current < UNITS_PER_RETRY) {
        return false;
      }
      if (BALANCE.compareAndSet(this, current, current - UNITS_PER_RETRY)) {
        count(retries, epoch);
        return true;
      }
    }
  }

  /**
   * Returns how many retries the budget would grant now, in a row.
   *
   * @return how many retries the budget would grant now, in a row
   */
  public long availableRetries() {
    advance(epoch(ticker.nanos()));
    return Math.max(0, balance) / UNITS_PER_RETRY;
  }

  private long epoch(long now) {
    return Math.floorDiv(now - origin, bucketNanos);
  }

  private static long word(long epoch, long count) {
    return (epoch << TAG_BITS) | count;
  }

  private static int tag(long word) {
    return (int) (word >>> TAG_BITS);
  }

  private static int slot(long epoch) {
    return (int) Math.floorMod(epoch, (long) BUCKETS);
  }

  /** Whether a word tagged {@code held} counts for an earlier epoch than {@code epoch}. */
  private static boolean isOlder(int held, long epoch) {
    return (int) epoch - held > 0;
  }

  /**
   * Counts one in the bucket of {@code epoch}, or of a newer epoch when a faster thread has already
   * moved that bucket on; expires the bucket first if it still holds an older epoch.
   *
   * @return false if the bucket could not be brought to an epoch at least as new (never in practice)
   */
  private boolean count(long[] words, long epoch) {
    int slot = slot(epoch);
    for (int tries = 0; tries < 4; tries++) {
      long word = (long) WORDS.getVolatile(words, slot);
      if (!isOlder(tag(word), epoch)) {
        // The word holds this epoch or a newer one; either way the count and the later expiry agree.
        WORDS.getAndAdd(words, slot, 1L);
        return true;
      }
      expire(slot, epoch);
    }
    return false;
  }

  /** Makes the window end at {@code epoch}: every bucket holding an older epoch is expired. */
  private void advance(long epoch) {
    long last = lastEpoch;
    if (epoch > last) {
      LAST_EPOCH.compareAndSet(this, last, epoch);
    }
    for (long e = epoch - BUCKETS + 1; e <= epoch; e++) {
      int slot = slot(e);
      if (isOlder(tag((long) WORDS.getVolatile(requests, slot)), e)
          || isOlder(tag((long) WORDS.getVolatile(retries, slot)), e)) {
        expire(slot, e);
      }
    }
  }

  /** Moves bucket {@code slot} to {@code epoch} if it holds an older one, settling its credit and retries. */
  private void expire(int slot, long epoch) {
    long fresh = word(epoch, 0);
    long subtracted = 0;
    for (;;) {
      long word = (long) WORDS.getVolatile(requests, slot);
      if (!isOlder(tag(word), epoch)) {
        // Someone else expired it, after subtracting the credit themselves: undo our share.
        if (subtracted > 0) {
          BALANCE.getAndAdd(this, subtracted * creditPerRequest);
        }
        break;
      }
      long count = word & COUNT_MASK;
      if (count > subtracted) {
        BALANCE.getAndAdd(this, -(count - subtracted) * creditPerRequest);
        subtracted = count;
      }
      if (WORDS.compareAndSet(requests, slot, word, fresh)) {
        break;
      }
    }
    for (;;) {
      long word = (long) WORDS.getVolatile(retries, slot);
      if (!isOlder(tag(word), epoch)) {
        break;
      }
      if (WORDS.compareAndSet(retries, slot, word, fresh)) {
        BALANCE.getAndAdd(this, (word & COUNT_MASK) * UNITS_PER_RETRY);
        break;
      }
    }
  }

  @Override
  public String toString() {
    return "RetryBudget{retryPercent="
        + retryPercent
        + ", minRetriesPerSecond="
        + minRetriesPerSecond
        + ", window="
        + window
        + ", ticker="
        + ticker
        + '}';
  }

  /**
   * Builds a {@link RetryBudget}. Setters reject {@code null} at once; {@link #build()} checks every range
   * and reports all violations in one {@link IllegalArgumentException}.
   *
   * <p>Not threadsafe.
   */
  public static final class Builder {
    private double retryPercent = 20;
    private int minRetriesPerSecond = 10;
    private Duration window = Duration.ofSeconds(10);
    private Ticker ticker = Ticker.coarse();

    private Builder() {}

    /**
     * Sets how much extra load retries may add, in percent of the requests in the window: in [0, 100],
     * default 20. Resolution is a thousandth of a percent.
     *
     * @param percent how much extra load retries may add, in percent of the requests in the window: in [0,
     *     100], default 20
     * @return this builder
     */
    public Builder retryPercent(double percent) {
      this.retryPercent = percent;
      return this;
    }

    /**
     * Sets the floor of retries per second granted whatever the number of requests, so that a service
     * with little traffic can still retry: at least 0, default 10. Over a window the floor grants
     * {@code floor(minRetriesPerSecond * window in seconds)} retries.
     *
     * @param retries the floor of retries per second granted whatever the number of requests, so that a
     *     service with little traffic can still retry: at least 0, default 10
     * @return this builder
     */
    public Builder minRetriesPerSecond(int retries) {
      this.minRetriesPerSecond = retries;
      return this;
    }

    /**
     * Sets the span over which requests and retries count: from 1 second to 1 hour, default 10 seconds.
     *
     * @param window the span over which requests and retries count: from 1 second to 1 hour, default 10
     *     seconds
     * @return this builder
     */
    public Builder window(Duration window) {
      this.window = Objects.requireNonNull(window, "window must not be null");
      return this;
    }

    /**
     * Sets the time source that ages requests and retries out of the window; default {@link Ticker#coarse()}.
     *
     * @param ticker the time source that ages requests and retries out of the window; default {@link
     *     Ticker#coarse()}
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Validates every option and builds a new, empty budget.
     *
     * @return the budget
     * @throws IllegalArgumentException naming every option whose value is out of range
     */
    public RetryBudget build() {
      Validation v = new Validation("RetryBudget");
      v.check(retryPercent >= 0 && retryPercent <= 100, "retryPercent", "must be in [0, 100]", retryPercent);
      v.check(
          minRetriesPerSecond >= 0 && minRetriesPerSecond <= MAX_MIN_RETRIES_PER_SECOND,
          "minRetriesPerSecond",
          "must be in [0, " + MAX_MIN_RETRIES_PER_SECOND + "]",
          minRetriesPerSecond);
      v.check(
          window.compareTo(MIN_WINDOW) >= 0 && window.compareTo(MAX_WINDOW) <= 0,
          "window",
          "must be in [" + MIN_WINDOW + ", " + MAX_WINDOW + "]",
          window);
      v.require(
          retryPercent != 0 || minRetriesPerSecond != 0,
          "retryPercent and minRetriesPerSecond must not both be 0, which would never allow a retry "
              + "(use maxAttempts(1) for that)");
      v.throwIfInvalid();
      return new RetryBudget(this);
    }
  }
}
