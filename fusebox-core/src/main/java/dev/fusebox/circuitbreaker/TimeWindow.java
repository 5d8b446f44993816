package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The outcomes of the calls that ended within the last span of time, in buckets.
 *
 * <p>Design note. Time is cut into epochs of {@code bucketNanos}, counted from the start of the bucket the
 * window was created in: the ticker's origin is arbitrary and its readings may wrap past
 * {@link Long#MAX_VALUE}, but the time elapsed since the creation does not, for 292 years. Buckets start at
 * whole multiples of {@code bucketNanos} of the ticker, as Resilience4j's start at whole seconds, until the
 * ticker wraps. Epoch {@code e} owns bucket {@code e mod buckets}, which epochs {@code e + k * buckets} own
 * in turn: {@code e div buckets} is the epoch's generation in its bucket. A bucket is four {@code long}s
 * (calls, failed, slow, slow-and-failed), each packing the low {@value #TAG_BITS} bits of the generation it
 * counts for (its tag) above a {@value #COUNT_BITS}-bit count: 17 trillion calls in one bucket, which at a
 * hundred million calls a second is a bucket of two days, a window of five years. (A 32-bit count lost a
 * bucket's epoch to the carry of its 2^32nd call.) Counting in the current epoch is one fetch-and-add that
 * leaves the tag alone. If the word turns out to have held another generation, that increment is void: an
 * older generation's word is taken over by CAS with a fresh count, which discards every void increment in
 * it; a newer generation's word (this record's thread was overtaken by a whole window between reading the
 * clock and counting) gets the increment taken back, by a CAS that applies only while the word still holds
 * that generation, so no phantom call survives in it. There are no running totals: a healthy call writes
 * nothing but its bucket's counter, and decisions, which only failures, slow calls and the moments listed
 * below need, sum the buckets.
 *
 * <p>Old buckets must stop counting even when no call lands in them. The first record of a newer epoch
 * moves {@code lastEpoch} forward by CAS, and the winner re-tags the buckets of every epoch it skipped (at
 * most all of them). So every word written since holds a generation within one of {@code lastEpoch}'s, and
 * a tag is compared with a generation by signed {@value #TAG_BITS}-bit distance: equal, older by one, newer
 * by one, and otherwise ancient (left over from before an idle period), which counts as older. Only a word
 * idle for a multiple of 2^20 generations, within one, could pass for a recent one: a million windows. A
 * record older than a whole window is rejected before it counts, and is then counted only in the breaker's
 * cumulative totals.
 *
 * <p>A success can make a rate reach its threshold only when the window first holds the minimum number of
 * calls or when old buckets leave it; {@link #belowMinimum} and the epoch change ask for an evaluation in
 * exactly those cases.
 */
final class TimeWindow extends Window {

  private static final int CALLS = 0;
  private static final int FAILED_CALLS = 1;
  private static final int SLOW_CALLS = 2;
  private static final int SLOW_FAILED_CALLS = 3;
  private static final int COUNTERS = 4;
  private static final int COUNT_BITS = 44;
  private static final int TAG_BITS = 64 - COUNT_BITS;
  private static final int TAG_MASK = (1 << TAG_BITS) - 1;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static final int MAX_BUCKETS = 1000;

  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle LAST_EPOCH;
  private static final VarHandle STREAK;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      LAST_EPOCH = lookup.findVarHandle(TimeWindow.class, "lastEpoch", long.class);
      STREAK = lookup.findVarHandle(TimeWindow.class, "streak", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long spanNanos;
  private final int buckets;
  private final long bucketNanos;
  private final long[] words;
  /** The reading epochs are counted from: the start of the bucket the window was created in. */
  private final long origin;
  private volatile long lastEpoch;
  /** Whether the window held fewer than the minimum number of calls when last summed. */
  private volatile boolean belowMinimum = true;
  private volatile int streak;

  TimeWindow(long spanNanos, int minimumCalls, long now) {
    super(minimumCalls);
    this.spanNanos = spanNanos;
    if (spanNanos % SECOND == 0 && spanNanos / SECOND <= MAX_BUCKETS) {
      this.buckets = (int) (spanNanos / SECOND);
      this.bucketNanos = SECOND;
    } else {
      long seconds = Math.round(spanNanos / (double) SECOND);
      this.buckets = (int) Math.max(10, Math.min(MAX_BUCKETS, seconds));
      this.bucketNanos = Math.max(1, -Math.floorDiv(-spanNanos, buckets));
    }
    this.words = new long[buckets * COUNTERS];
    this.origin = now - Math.floorMod(now, bucketNanos);
    long epoch = 0;
    // Tag every empty bucket with the epoch it stands for now, so the serial comparison of tags holds from
    // the first record on.
    for (long e = epoch - buckets + 1; e <= epoch; e++) {
      int base = base(e);
      for (int counter = 0; counter < COUNTERS; counter++) {
        words[base + counter] = (long) tag(e) << COUNT_BITS;
      }
    }
    this.lastEpoch = epoch;
  }

  int buckets() {
    return buckets;
  }

  long bucketNanos() {
    return bucketNanos;
  }

  private long epochOf(long now) {
    return Math.floorDiv(now - origin, bucketNanos);
  }

  private int base(long epoch) {
    return (int) Math.floorMod(epoch, (long) buckets) * COUNTERS;
  }

  /** The tag of an epoch: the low bits of its generation in its bucket. */
  private int tag(long epoch) {
    return (int) Math.floorDiv(epoch, (long) buckets) & TAG_MASK;
  }

  private static int tagOf(long word) {
    return (int) (word >>> COUNT_BITS);
  }

  @Override
  boolean record(int outcome, long now) {
    return record(outcome, now, 1);
  }

  /** Records {@code calls} outcomes alike at once: what {@link #record(int, long)} does, {@code calls} times. */
  boolean record(int outcome, long now, long calls) {
    long epoch = epochOf(now);
    boolean evaluate = false;
    long last = lastEpoch;
    if (epoch - last > 0) {
      if (LAST_EPOCH.compareAndSet(this, last, epoch)) {
        expire(last, epoch);
        evaluate = true;
      }
    } else if (epoch - last <= -buckets) {
      return false;
    }
    // One division for both the bucket and its generation: the call path's one division beyond the epoch's.
    long generation = Math.floorDiv(epoch, (long) buckets);
    int base = (int) (epoch - generation * buckets) * COUNTERS;
    int tag = (int) generation & TAG_MASK;
    if (!increment(base + CALLS, tag, calls)) {
      return evaluate;
    }
    if ((outcome & FAILED) != 0) {
      increment(base + FAILED_CALLS, tag, calls);
    }
    if ((outcome & SLOW) != 0) {
      increment(base + SLOW_CALLS, tag, calls);
    }
    if (outcome == SLOW_FAILED) {
      increment(base + SLOW_FAILED_CALLS, tag, calls);
    }
    return evaluate || outcome != SUCCESS || belowMinimum;
  }

  @Override
  boolean hasShape(CircuitBreakerConfig config) {
    return config.windowType() == CircuitBreakerConfig.WindowType.TIME_BASED
        && config.windowSpan().toNanos() == spanNanos;
  }

  @Override
  void transferTo(Window target, long now) {
    long last = lastEpoch;
    long newest = Math.max(epochOf(now), last);
    if (newest - last >= buckets) {
      return; // idle for a whole window: nothing left to keep
    }
    // Per bucket, oldest first, indexed by outcome: success, failed only, slow only, slow and failed.
    long[][] split = new long[buckets][];
    for (int i = 0; i < buckets; i++) {
      long epoch = newest - buckets + 1 + i;
      int base = base(epoch);
      int tag = tag(epoch);
      long calls = count(base + CALLS, tag);
      long failed = count(base + FAILED_CALLS, tag);
      long slow = count(base + SLOW_CALLS, tag);
      long both = count(base + SLOW_FAILED_CALLS, tag);
      split[i] = new long[] {calls - failed - slow + both, failed - both, slow - both, both};
    }
    if (target instanceof TimeWindow time) {
      for (int i = 0; i < buckets; i++) {
        long start = origin + (newest - buckets + 1 + i) * bucketNanos;
        for (int outcome = 0; outcome < COUNTERS; outcome++) {
          if (split[i][outcome] > 0) {
            time.record(outcome, start, split[i][outcome]);
          }
        }
      }
      return;
    }
    // A count window has room for its size only: keep the newest buckets' calls, in proportion within the
    // oldest bucket that only partly fits.
    long room = ((CountWindow) target).size();
    int first = buckets;
    while (first > 0 && room > 0) {
      first--;
      long[] bucket = split[first];
      long calls = bucket[0] + bucket[1] + bucket[2] + bucket[3];
      if (calls > room) {
        long[] whole = new long[COUNTERS];
        long taken = 0;
        for (int outcome = 0; outcome < COUNTERS; outcome++) {
          whole[outcome] = (long) ((double) bucket[outcome] * room / calls);
          taken += whole[outcome];
        }
        // What rounding down left over goes to the outcomes that lost the most to it.
        for (; taken < room; taken++) {
          int most = 0;
          for (int outcome = 1; outcome < COUNTERS; outcome++) {
            if ((double) bucket[outcome] * room / calls - whole[outcome]
                > (double) bucket[most] * room / calls - whole[most]) {
              most = outcome;
            }
          }
          whole[most]++;
        }
        System.arraycopy(whole, 0, bucket, 0, COUNTERS);
        calls = room;
      }
      room -= calls;
    }
    for (int i = first; i < buckets; i++) {
      for (int outcome = 0; outcome < COUNTERS; outcome++) {
        for (long n = 0; n < split[i][outcome]; n++) {
          target.record(outcome, now);
        }
      }
    }
  }

  @Override
  int streak() {
    int n = streak;
    return Math.max(0, n);
  }

  @Override
  void adoptStreak(int length) {
    streak = length;
  }

  @Override
  int extendStreak() {
    int n = (int) STREAK.getAndAdd(this, 1) + 1;
    return n > 0 ? n : Integer.MAX_VALUE;
  }

  @Override
  void endStreak() {
    if (streak != 0) {
      streak = 0;
    }
  }

  /**
   * Adds {@code calls} to a counter for the generation tagged {@code tag}; false if the counter holds a
   * newer generation, whose count this leaves as it found it.
   */
  private boolean increment(int index, int tag, long calls) {
    long word = (long) WORDS.getAndAdd(words, index, calls);
    int held = tagOf(word);
    if (held == tag) {
      return true;
    }
    if (!isOlder(held, tag)) {
      takeBack(index, held, calls);
      return false;
    }
    // The word held an older generation, so the increment above counts for nothing: take the word over.
    for (;;) {
      word = (long) WORDS.getVolatile(words, index);
      held = tagOf(word);
      long next;
      if (held == tag) {
        next = word + calls;
      } else if (isOlder(held, tag)) {
        next = ((long) tag << COUNT_BITS) | calls;
      } else {
        takeBack(index, held, calls);
        return false;
      }
      if (WORDS.compareAndSet(words, index, word, next)) {
        return true;
      }
    }
  }

  /** Takes back a void increment from a word of a newer generation, unless that word was taken over since. */
  private void takeBack(int index, int held, long calls) {
    long word = (long) WORDS.getVolatile(words, index);
    while (tagOf(word) == held) {
      long witness = (long) WORDS.compareAndExchange(words, index, word, word - calls);
      if (witness == word) {
        return;
      }
      word = witness;
    }
  }

  /** Re-tags, with count zero, the buckets of the epochs after {@code from} up to {@code to}. */
  private void expire(long from, long to) {
    for (long epoch = Math.max(from + 1, to - buckets + 1); epoch <= to; epoch++) {
      int base = base(epoch);
      int tag = tag(epoch);
      for (int counter = 0; counter < COUNTERS; counter++) {
        long word = (long) WORDS.getVolatile(words, base + counter);
        while (isOlder(tagOf(word), tag)) {
          long witness = (long) WORDS.compareAndExchange(words, base + counter, word, (long) tag << COUNT_BITS);
          if (witness == word) {
            break;
          }
          word = witness;
        }
      }
    }
  }

  /**
   * Whether tag {@code held} stands for an earlier generation than {@code tag}: the one before it (or an
   * earlier one within the tag's range), or an ancient one, more than one generation newer by the
   * tag's wrapped distance.
   */
  private static boolean isOlder(int held, int tag) {
    int distance = ((tag - held) << (32 - TAG_BITS)) >> (32 - TAG_BITS);
    return distance > 0 || distance <= -2;
  }

  @Override
  WindowCounts counts() {
    WindowCounts counts = sum(lastEpoch);
    noteMinimum(counts.buffered());
    return counts;
  }

  @Override
  int reached(CompiledConfig s) {
    long newest = lastEpoch;
    long calls = 0;
    long failed = 0;
    long slow = 0;
    for (long epoch = newest - buckets + 1; epoch <= newest; epoch++) {
      int base = base(epoch);
      int tag = tag(epoch);
      calls += count(base + CALLS, tag);
      failed += count(base + FAILED_CALLS, tag);
      slow += count(base + SLOW_CALLS, tag);
    }
    noteMinimum(calls);
    return verdict(calls, failed, slow, s);
  }

  /** Remembers whether the window holds fewer than the minimum; writes only when that changes. */
  private void noteMinimum(long calls) {
    boolean below = calls < minimumCalls;
    if (below != belowMinimum) {
      belowMinimum = below;
    }
  }

  @Override
  WindowCounts snapshot(long now) {
    long last = lastEpoch;
    long newest = Math.max(epochOf(now), last);
    // Idle for a whole window: every bucket has aged out, and comparing ancient tags could alias.
    return newest - last >= buckets ? WindowCounts.EMPTY : sum(newest);
  }

  private WindowCounts sum(long newest) {
    long calls = 0;
    long failed = 0;
    long slow = 0;
    long slowFailed = 0;
    for (long epoch = newest - buckets + 1; epoch <= newest; epoch++) {
      int base = base(epoch);
      int tag = tag(epoch);
      calls += count(base + CALLS, tag);
      failed += count(base + FAILED_CALLS, tag);
      slow += count(base + SLOW_CALLS, tag);
      slowFailed += count(base + SLOW_FAILED_CALLS, tag);
    }
    return new WindowCounts(calls, failed, slow, slowFailed);
  }

  private long count(int index, int tag) {
    long word = (long) WORDS.getVolatile(words, index);
    return tagOf(word) == tag ? word & COUNT_MASK : 0;
  }
}
