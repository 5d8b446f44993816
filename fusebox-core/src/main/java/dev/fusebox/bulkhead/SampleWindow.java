package dev.fusebox.bulkhead;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The latency samples of one window of {@code size} completed calls of an adaptive bulkhead.
 *
 * <p>Design note. A sample first claims an index with a fetch-and-add on {@code claimed}; an index at or
 * beyond {@code size} means the window is full and the sample belongs to the next one. A claimant then
 * folds its figures in (sums by fetch-and-add, minima and maxima by CAS loops that only ever move one way)
 * and only afterwards increments {@code done}. The one sample whose increment brings {@code done} to
 * {@code size} closes the window, and it sees every figure: each was written before its own sample's
 * increment of {@code done}, and those increments are totally ordered before the closing one (the same
 * argument as the half-open trials of the circuit breaker). No sample is counted twice or lost, and no
 * thread waits for another.
 */
final class SampleWindow {

  static final int FULL = -1;
  static final int ADDED = 0;
  static final int CLOSED = 1;

  private static final VarHandle CLAIMED;
  private static final VarHandle DONE;
  private static final VarHandle RTT_SAMPLES;
  private static final VarHandle RTT_SUM;
  private static final VarHandle MIN_RTT;
  private static final VarHandle MIN_START;
  private static final VarHandle MAX_INFLIGHT;
  private static final VarHandle DROPS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CLAIMED = lookup.findVarHandle(SampleWindow.class, "claimed", int.class);
      DONE = lookup.findVarHandle(SampleWindow.class, "done", int.class);
      RTT_SAMPLES = lookup.findVarHandle(SampleWindow.class, "rttSamples", int.class);
      RTT_SUM = lookup.findVarHandle(SampleWindow.class, "rttSum", long.class);
      MIN_RTT = lookup.findVarHandle(SampleWindow.class, "minRtt", long.class);
      MIN_START = lookup.findVarHandle(SampleWindow.class, "minStart", long.class);
      MAX_INFLIGHT = lookup.findVarHandle(SampleWindow.class, "maxInflight", int.class);
      DROPS = lookup.findVarHandle(SampleWindow.class, "drops", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int size;
  private final long origin;
  private volatile int claimed;
  private volatile int done;
  private volatile int rttSamples;
  private volatile long rttSum;
  private volatile long minRtt = Long.MAX_VALUE;
  /** The earliest call start, as an offset from {@code origin} so that it compares without wrapping. */
  private volatile long minStart = Long.MAX_VALUE;
  private volatile int maxInflight;
  private volatile int drops;

  /**
   * @param size the number of samples that close the window
   * @param origin a ticker reading near the window's calls, to measure their starts from
   */
  SampleWindow(int size, long origin) {
    this.size = size;
    this.origin = origin;
  }

  /**
   * Adds one completed call.
   *
   * @param start the ticker reading when the call started
   * @param rtt how long it took, or a negative value for a drop, which has no meaningful latency
   * @param inflight how many calls were in flight when it completed, itself included
   * @return {@link #FULL} (nothing added: retry on the next window), {@link #ADDED}, or {@link #CLOSED}
   *     when this sample completed the window and the caller must act on {@link #summary()}
   */
  int add(long start, long rtt, int inflight) {
    int index = (int) CLAIMED.getAndAdd(this, 1);
    if (index >= size) {
      return FULL;
    }
    if (rtt < 0) {
      DROPS.getAndAdd(this, 1);
    } else {
      RTT_SAMPLES.getAndAdd(this, 1);
      RTT_SUM.getAndAdd(this, rtt);
      lower(MIN_RTT, rtt);
    }
    lower(MIN_START, start - origin);
    int max = maxInflight;
    while (inflight > max) {
      int witness = (int) MAX_INFLIGHT.compareAndExchange(this, max, inflight);
      if (witness == max) {
        break;
      }
      max = witness;
    }
    return (int) DONE.getAndAdd(this, 1) + 1 == size ? CLOSED : ADDED;
  }

  private void lower(VarHandle field, long value) {
    long current = (long) field.getVolatile(this);
    while (value < current) {
      long witness = (long) field.compareAndExchange(this, current, value);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  /** Returns the figures of a closed window. */
  Summary summary() {
    long start = minStart == Long.MAX_VALUE ? origin : origin + minStart;
    return new Summary(rttSamples, rttSum, minRtt, start, maxInflight, drops);
  }

  /**
   * The figures of a closed window.
   *
   * @param rttSamples how many calls completed normally and so carry a latency
   * @param rttSum their summed latency
   * @param minRtt the fastest of them; {@link Long#MAX_VALUE} if there were none
   * @param earliestStart the ticker reading when the earliest call of the window started
   * @param maxInflight the most calls in flight seen at a completion
   * @param drops how many calls were dropped
   */
  record Summary(int rttSamples, long rttSum, long minRtt, long earliestStart, int maxInflight, int drops) {
    double averageRtt() {
      return rttSamples == 0 ? 0 : (double) rttSum / rttSamples;
    }
  }
}
