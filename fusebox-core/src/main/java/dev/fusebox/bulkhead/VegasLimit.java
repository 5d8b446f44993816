package dev.fusebox.bulkhead;

import dev.fusebox.bulkhead.BulkheadEvent.LimitChangeReason;

/**
 * The limit algorithm of an {@link AdaptiveBulkhead}, in the spirit of TCP Vegas: it estimates how many
 * calls wait in the dependency's queue from how much slower calls are than when there is no load, and
 * keeps that queue short but not empty.
 *
 * <p>For a window of calls run under limit {@code L}, with average latency {@code rtt} and no-load latency
 * {@code rtt0}, Little's law says the dependency serves about {@code L × rtt0 / rtt} of them at once, so
 * about {@code queue = L × (1 − rtt0 / rtt)} are waiting. In order of precedence:
 * <ol>
 *   <li>a probe in progress ends with the first window whose calls all started after it began: that
 *       window's fastest call is the new {@code rtt0}, and the limit from before the probe comes back;</li>
 *   <li>when {@code probeInterval} has passed since the last probe, a probe starts: the limit halves (not
 *       below {@code minLimit}) so that the queue drains and fresh calls see the dependency unloaded;</li>
 *   <li>a window holding a call that started before the last limit change, or within one round trip
 *       (the latest window's average latency) after it, is not judged: until the calls admitted under the
 *       old limit have left, the dependency's queue does not yet reflect the new limit, and the first
 *       calls to complete are the ones that found it emptiest. So the limit moves at most once per two
 *       round trips, and does not overshoot because of the delay between a change and its effect;</li>
 *   <li>a window with a dropped call multiplies the limit by {@code backoffRatio};</li>
 *   <li>in slow start (from creation until the first queueing or drop), a window at full use with
 *       {@code queue < alpha} doubles the limit; the first window with {@code queue >= alpha} ends slow
 *       start by setting the limit to the estimated capacity {@code L − queue} plus {@code alpha};</li>
 *   <li>after that, {@code queue > beta} lowers the limit by one and {@code queue < alpha} raises it by one
 *       (the latter only if at least half of the limit was in use).</li>
 * </ol>
 * Between probes {@code rtt0} is the lowest latency seen. Every change stays in
 * {@code [minLimit, maxLimit]}.
 *
 * <p>Not threadsafe: the bulkhead runs every update one at a time, in order (see
 * {@link dev.fusebox.internal.OrderedDelivery}). Fields that metrics read are volatile, and only ever
 * written here.
 */
final class VegasLimit {

  /** A limit change decided by {@link #update}. */
  record Change(int oldLimit, int newLimit, LimitChangeReason reason) {}

  static final long UNKNOWN = -1;

  // The options: changed only by reconfigure, which runs one at a time with the updates, like them.
  private int minLimit;
  private int maxLimit;
  private double alpha;
  private double beta;
  private double backoffRatio;
  private long probeNanos;

  private volatile int limit;
  private volatile long noLoadRtt = UNKNOWN;
  private volatile long latestRtt = UNKNOWN;
  private volatile boolean probing;
  private long probeStart;
  private long lastProbe;
  /** Windows holding a call started before this reading are not judged: see rule 3. */
  private long judgeFrom;
  /** Until the first window, the round trip that {@link #judgeFrom} must add to creation is unknown. */
  private boolean firstWindow;
  private int limitBeforeProbe;
  private boolean slowStart;

  VegasLimit(AdaptiveBulkheadConfig config, long now) {
    this(config, now, false);
  }

  /**
   * @param established {@code false} for a new bulkhead; {@code true}, for tests of the steady-state rules,
   *     starts as if it had run for a while: slow start over and the first window's round trip elapsed
   */
  VegasLimit(AdaptiveBulkheadConfig config, long now, boolean established) {
    this.minLimit = config.minLimit();
    this.maxLimit = config.maxLimit();
    this.alpha = config.alpha();
    this.beta = config.beta();
    this.backoffRatio = config.backoffRatio();
    this.probeNanos = config.probeInterval().toNanos();
    this.limit = config.initialLimit();
    this.lastProbe = now;
    this.judgeFrom = now;
    this.slowStart = !established;
    this.firstWindow = !established;
  }

  /**
   * Folds one closed window in.
   *
   * @param now the ticker reading when the window closed
   * @return the change to apply, or {@code null} when the limit stays
   */
  Change update(SampleWindow.Summary window, long now) {
    if (window.rttSamples() > 0) {
      latestRtt = Math.round(window.averageRtt());
    }
    if (firstWindow) {
      // Creation is the first change: the calls that complete first are the ones that found the
      // dependency emptiest, so judge only calls started a round trip later.
      firstWindow = false;
      judgeFrom += Math.max(0, latestRtt);
    }
    if (probing) {
      if (window.drops() > 0) {
        limitBeforeProbe = backOff(limitBeforeProbe);
      }
      if (window.rttSamples() > 0 && window.earliestStart() - probeStart >= 0) {
        noLoadRtt = window.minRtt();
        probing = false;
        lastProbe = now;
        return set(limitBeforeProbe, LimitChangeReason.PROBE_ENDED, now);
      }
      return null;
    }
    if (window.rttSamples() > 0) {
      noLoadRtt = noLoadRtt == UNKNOWN ? window.minRtt() : Math.min(noLoadRtt, window.minRtt());
    }
    if (probeNanos > 0 && now - lastProbe >= probeNanos) {
      int lowered = Math.max(minLimit, limit / 2);
      if (lowered < limit) {
        limitBeforeProbe = limit;
        probing = true;
        probeStart = now;
        return set(lowered, LimitChangeReason.PROBE_STARTED, now);
      }
      // Already at the floor: this window ran as unloaded as the bulkhead allows, so it is the probe.
      lastProbe = now;
      if (window.rttSamples() > 0) {
        noLoadRtt = window.minRtt();
      }
    }
    if (window.earliestStart() - judgeFrom < 0) {
      return null;
    }
    if (window.drops() > 0) {
      slowStart = false;
      return set(backOff(limit), LimitChangeReason.DROPPED, now);
    }
    if (window.rttSamples() == 0 || noLoadRtt == UNKNOWN) {
      return null;
    }
    double queue = queue(limit, noLoadRtt, window.averageRtt());
    boolean inUse = window.maxInflight() * 2L >= limit;
    if (slowStart) {
      if (queue < alpha) {
        return inUse ? set(2L * limit, LimitChangeReason.LOW_QUEUEING, now) : null;
      }
      slowStart = false;
      int target = (int) Math.min(Integer.MAX_VALUE, Math.round(limit - queue + alpha));
      return set(target, target > limit ? LimitChangeReason.LOW_QUEUEING : LimitChangeReason.HIGH_QUEUEING, now);
    }
    if (queue > beta) {
      return set(limit - 1, LimitChangeReason.HIGH_QUEUEING, now);
    }
    if (queue < alpha && inUse) {
      return set(limit + 1, LimitChangeReason.LOW_QUEUEING, now);
    }
    return null;
  }

  /** The estimated number of queued calls: {@code limit × (1 − noLoadRtt / rtt)}, never negative. */
  static double queue(int limit, long noLoadRtt, double rtt) {
    return rtt <= noLoadRtt ? 0 : limit * (1 - noLoadRtt / rtt);
  }

  private int backOff(int value) {
    return Math.max(minLimit, (int) (value * backoffRatio));
  }

  private Change set(long value, LimitChangeReason reason, long now) {
    int bounded = (int) Math.max(minLimit, Math.min(maxLimit, value));
    int old = limit;
    if (bounded == old) {
      return null;
    }
    limit = bounded;
    // The calls in flight at the change leave the dependency within about one round trip; only calls
    // started after that see the new limit's load alone.
    judgeFrom = now + Math.max(0, latestRtt);
    return new Change(old, bounded, reason);
  }

  /**
   * Takes new options: the learned latencies, the probe schedule and the limit stay, the limit (and the one a
   * probe will restore) moved into the new bounds if it is outside them.
   *
   * @return the change of the limit that the new bounds force, or {@code null}
   */
  Change reconfigure(AdaptiveBulkheadConfig config, long now) {
    minLimit = config.minLimit();
    maxLimit = config.maxLimit();
    alpha = config.alpha();
    beta = config.beta();
    backoffRatio = config.backoffRatio();
    probeNanos = config.probeInterval().toNanos();
    limitBeforeProbe = Math.max(minLimit, Math.min(maxLimit, limitBeforeProbe));
    return set(limit, LimitChangeReason.RECONFIGURED, now);
  }

  int limit() {
    return limit;
  }

  long noLoadRtt() {
    return noLoadRtt;
  }

  long latestRtt() {
    return latestRtt;
  }

  boolean probing() {
    return probing;
  }

  boolean slowStart() {
    return slowStart;
  }
}
