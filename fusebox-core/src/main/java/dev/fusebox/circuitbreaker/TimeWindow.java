package dev.fusebox.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The outcomes of the calls that ended within the last span of time, in buckets.
 *
 * <p>Design note. Time is cut into epochs of {@code bucketNanos}; epoch {@code e} owns bucket
 * {@code e mod buckets}. A bucket is four {@code long}s (calls, failed, slow, slow-and-failed), each packing
 * the low 32 bits of the epoch it counts for (its tag) above a 32-bit count. Counting in the current epoch
 * is one fetch-and-add that leaves the tag alone; if the word turns out to have held another epoch, that
 * increment is void (taking a word over always writes a fresh count, so a void increment never survives)
 * and the call takes the word over by CAS instead. There are no running totals: a healthy call writes
 * nothing but its bucket's counter, and decisions, which only failures, slow calls and the moments listed
 * below need, sum the buckets.
 *
 * <p>Old buckets must stop counting even when no call lands in them. The first record of a newer epoch
 * moves {@code lastEpoch} forward by CAS, and the winner re-tags the buckets of every epoch it skipped (at
 * most all of them). So every word written since holds an epoch within a few buckets of {@code lastEpoch},
 * and a tag is compared with an epoch by signed 32-bit distance: equal, older or newer when the distance is
 * under twice the bucket count, and otherwise ancient (left over from before an idle period), which counts
 * as older. Only a word idle for a multiple of 2^32 epochs, within a couple of buckets, could pass for a
 * recent one: 136 years for one-second buckets. A word holding a newer epoch than a record's (a thread
 * delayed by a whole window) rejects the record, which is then counted only in the breaker's cumulative
 * totals.
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
  private static final int COUNT_BITS = 32;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static final int MAX_BUCKETS = 1000;

  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle LAST_EPOCH;

  static {
    try {
      LAST_EPOCH = MethodHandles.lookup().findVarHandle(TimeWindow.class, "lastEpoch", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int buckets;
  private final long bucketNanos;
  private final long[] words;
  private volatile long lastEpoch;
  /** Whether the window held fewer than the minimum number of calls when last summed. */
  private volatile boolean belowMinimum = true;

  TimeWindow(long spanNanos, int minimumCalls, long now) {
    super(minimumCalls);
    if (spanNanos % SECOND == 0 && spanNanos / SECOND <= MAX_BUCKETS) {
      this.buckets = (int) (spanNanos / SECOND);
      this.bucketNanos = SECOND;
    } else {
      long seconds = Math.round(spanNanos / (double) SECOND);
      this.buckets = (int) Math.max(10, Math.min(MAX_BUCKETS, seconds));
      this.bucketNanos = Math.max(1, -Math.floorDiv(-spanNanos, buckets));
    }
    this.words = new long[buckets * COUNTERS];
    long epoch = Math.floorDiv(now, bucketNanos);
    // Tag every empty bucket with the epoch it stands for now, so the serial comparison of tags holds from
    // the first record on.
    for (long e = epoch - buckets + 1; e <= epoch; e++) {
      int base = base(e);
      for (int counter = 0; counter < COUNTERS; counter++) {
        words[base + counter] = e << COUNT_BITS;
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

  private int base(long epoch) {
    return (int) Math.floorMod(epoch, (long) buckets) * COUNTERS;
  }

  @Override
  boolean record(int outcome, long now) {
    long epoch = Math.floorDiv(now, bucketNanos);
    boolean evaluate = false;
    long last = lastEpoch;
    if (epoch > last) {
      if (LAST_EPOCH.compareAndSet(this, last, epoch)) {
        expire(last, epoch);
        evaluate = true;
      }
    } else if (epoch <= last - buckets) {
      return false;
    }
    int base = base(epoch);
    int tag = (int) epoch;
    if (!increment(base + CALLS, tag)) {
      return evaluate;
    }
    if ((outcome & FAILED) != 0) {
      increment(base + FAILED_CALLS, tag);
    }
    if ((outcome & SLOW) != 0) {
      increment(base + SLOW_CALLS, tag);
    }
    if (outcome == SLOW_FAILED) {
      increment(base + SLOW_FAILED_CALLS, tag);
    }
    return evaluate || outcome != SUCCESS || belowMinimum;
  }

  /** Adds one to a counter for the epoch tagged {@code tag}; false if the counter holds a newer epoch. */
  private boolean increment(int index, int tag) {
    long word = (long) WORDS.getAndAdd(words, index, 1L);
    if ((int) (word >>> COUNT_BITS) == tag) {
      return true;
    }
    // The word held another epoch, so the increment above counts for nothing: take the word over instead.
    for (;;) {
      word = (long) WORDS.getVolatile(words, index);
      int held = (int) (word >>> COUNT_BITS);
      long next;
      if (held == tag) {
        next = word + 1;
      } else if (isOlder(held, tag)) {
        next = ((long) tag << COUNT_BITS) | 1;
      } else {
        return false;
      }
      if (WORDS.compareAndSet(words, index, word, next)) {
        return true;
      }
    }
  }

  /** Re-tags, with count zero, the buckets of the epochs after {@code from} up to {@code to}. */
  private void expire(long from, long to) {
    for (long epoch = Math.max(from + 1, to - buckets + 1); epoch <= to; epoch++) {
      int base = base(epoch);
      int tag = (int) epoch;
      for (int counter = 0; counter < COUNTERS; counter++) {
        long word = (long) WORDS.getVolatile(words, base + counter);
        while (isOlder((int) (word >>> COUNT_BITS), tag)) {
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
   * Whether tag {@code held} stands for an earlier epoch than {@code tag}: a recent one (within twice the
   * bucket count) that is earlier, or an ancient one.
   */
  private boolean isOlder(int held, int tag) {
    int distance = tag - held;
    return distance > 0 || distance <= -2 * buckets;
  }

  @Override
  WindowCounts counts() {
    WindowCounts counts = sum(lastEpoch);
    belowMinimum = counts.buffered() < minimumCalls;
    return counts;
  }

  @Override
  WindowCounts snapshot(long now) {
    long last = lastEpoch;
    long newest = Math.max(Math.floorDiv(now, bucketNanos), last);
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
      int tag = (int) epoch;
      calls += count(base + CALLS, tag);
      failed += count(base + FAILED_CALLS, tag);
      slow += count(base + SLOW_CALLS, tag);
      slowFailed += count(base + SLOW_FAILED_CALLS, tag);
    }
    return new WindowCounts(calls, failed, slow, slowFailed);
  }

  private long count(int index, int tag) {
    long word = (long) WORDS.getVolatile(words, index);
    return (int) (word >>> COUNT_BITS) == tag ? word & COUNT_MASK : 0;
  }
}
