package dev.fusebox.throttle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests and accepts of the last sampling window, and the rejection probability they give.
 *
 * <p>Design note. Outcomes go into three cumulative counters that only grow: accepted, failed (not
 * accepted) and rejected locally; the requests are their sum. So recording an outcome is one
 * {@link LongAdder} increment, which threads on different cores do not fight over, and the counters double
 * as the throttle's totals. The window is the difference between the counters now and a mark of them taken
 * when its oldest bucket began: time is cut into epochs of {@code bucketNanos} from the ticker reading at
 * creation (differences only, so a ticker that passes {@code Long.MAX_VALUE} is no trouble), and a ring of
 * {@code buckets} slots holds, for each recent epoch, the counters as they stood when it began. A window
 * at epoch {@code e} covers epochs {@code e - buckets + 1} to {@code e}: it reads the slot of the first and
 * subtracts. Nothing was counted before epoch 0, so while the window reaches back that far it reads epoch
 * 0's slot, whose zeros need no writing. There are no running totals to keep in step and nothing to
 * expire: a bucket leaves the window when its slot is overwritten.
 *
 * <p>The first reader that finds the clock past the last epoch moves {@code lastEpoch} forward by CAS; the
 * one winner reads the counters once and writes that mark into the slot of every epoch it moved past
 * (after an idle period, at most all of them: they saw no outcome). A slot is three elements of an
 * {@link AtomicLongArray}, its epoch tag and the two marks, written as a sequence lock: the tag is
 * cleared, the marks written, then the tag set, all volatile. A reader reads the tag, the marks, the
 * counters and the tag again, and uses the marks only if both tags are the epoch it wants; volatile
 * accesses are totally ordered, so equal tags mean no writer touched the slot in between, and the
 * counters, read after the first tag, are at least the marks the writer read before setting it: the
 * window's counts are never negative, and its accepts never exceed its requests. A reader that finds its
 * slot being written wants the oldest epoch of a window that begins after the last epoch anyone saw, one
 * that is empty apart from the outcomes racing with it, and reads it as empty.
 *
 * <p>Trade-offs. Marks are taken when a request is decided (or the metrics read), not on the bucket
 * boundary: an outcome reported after a quiet spell with no decision counts in the bucket before, and so
 * leaves the window up to a bucket early. A thread stalled between winning an epoch and writing its marks
 * for a whole window could overwrite a newer slot with older marks; the readers of that slot then see an
 * empty window for one bucket. Requests still in flight are not counted until they report: a request
 * counts when its answer, or its local rejection, is known.
 */
final class RequestWindow {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static final int MIN_BUCKETS = 10;
  static final int MAX_BUCKETS = 1000;

  /** The tag of a slot whose marks are being written; every real epoch is above it. */
  private static final long WRITING = Long.MIN_VALUE;
  private static final int TAG = 0;
  private static final int REQUESTS = 1;
  private static final int ACCEPTS = 2;
  private static final int SLOT = 3;

  private static final VarHandle LAST_EPOCH;

  static {
    try {
      LAST_EPOCH = MethodHandles.lookup().findVarHandle(RequestWindow.class, "lastEpoch", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LongAdder accepted = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final double k;
  private final double maxRejectionProbability;
  private final long minimumNumberOfRequests;
  private final int buckets;
  private final long bucketNanos;
  private final long origin;
  /** Per slot: the epoch it stands for, then the requests and the accepts counted before that epoch. */
  private final AtomicLongArray marks;
  private volatile long lastEpoch;

  RequestWindow(AdaptiveThrottleConfig config, long now) {
    this.k = config.k();
    this.maxRejectionProbability = config.maxRejectionProbability();
    this.minimumNumberOfRequests = config.minimumNumberOfRequests();
    long span = config.samplingWindow().toNanos();
    this.buckets = (int) Math.max(MIN_BUCKETS, Math.min(MAX_BUCKETS, -Math.floorDiv(-span, SECOND)));
    this.bucketNanos = -Math.floorDiv(-span, buckets);
    this.origin = now;
    // Slot 0 is epoch 0's as it is: nothing was counted before it.
    this.marks = new AtomicLongArray(buckets * SLOT);
  }

  int buckets() {
    return buckets;
  }

  long bucketNanos() {
    return bucketNanos;
  }

  private int slot(long epoch) {
    return (int) Math.floorMod(epoch, (long) buckets) * SLOT;
  }

  // ---------------------------------------------------------------------------------------------------
  // Outcomes

  void accepted() {
    accepted.increment();
  }

  void failed() {
    failed.increment();
  }

  void rejected() {
    rejected.increment();
  }

  long totalAccepts() {
    return accepted.sum();
  }

  long totalFailures() {
    return failed.sum();
  }

  long totalRejections() {
    return rejected.sum();
  }

  // ---------------------------------------------------------------------------------------------------
  // The window

  /**
   * Returns the probability with which a request decided at {@code now} is rejected: the SRE formula
   * over the window, capped, and zero below the minimum number of requests. Allocates nothing.
   */
  double rejectionProbability(long now) {
    long first = firstEpoch(now);
    int slot = slot(first);
    if (!tagged(slot, first)) {
      return 0;
    }
    long markedRequests = marks.get(slot + REQUESTS);
    long markedAccepts = marks.get(slot + ACCEPTS);
    long accepts = accepted.sum();
    return tagged(slot, first) ? probability(requests(accepts) - markedRequests, accepts - markedAccepts) : 0;
  }

  /** Returns the requests and accepts in the window at {@code now}, for the metrics. */
  Counts counts(long now) {
    long first = firstEpoch(now);
    int slot = slot(first);
    if (tagged(slot, first)) {
      long markedRequests = marks.get(slot + REQUESTS);
      long markedAccepts = marks.get(slot + ACCEPTS);
      long accepts = accepted.sum();
      if (tagged(slot, first)) {
        return new Counts(requests(accepts) - markedRequests, accepts - markedAccepts);
      }
    }
    return Counts.EMPTY;
  }

  /**
   * The oldest epoch of the window at {@code now}, or 0 while the window reaches back to the creation:
   * nothing was counted before epoch 0, so its marks stand for every earlier one.
   */
  private long firstEpoch(long now) {
    return Math.max(0, advance(now) - buckets + 1);
  }

  /** Whether the slot holds the marks of {@code epoch}; false while they are being written. */
  private boolean tagged(int slot, long epoch) {
    return marks.get(slot + TAG) == epoch;
  }

  /** Every request counted so far, given the accepts just read: read the accepts first. */
  private long requests(long accepts) {
    return accepts + failed.sum() + rejected.sum();
  }

  /** The SRE formula: {@code min(max, max(0, (requests - k * accepts) / (requests + 1)))}. */
  double probability(long requests, long accepts) {
    if (requests < minimumNumberOfRequests) {
      return 0;
    }
    double excess = requests - k * accepts;
    return excess <= 0 ? 0 : Math.min(maxRejectionProbability, excess / (requests + 1));
  }

  /**
   * Returns the epoch of {@code now}, or a later one another thread already moved to, moving the window
   * first if {@code now} is past its last epoch.
   */
  private long advance(long now) {
    long last = lastEpoch;
    long elapsed = now - origin;
    if (elapsed - (last + 1) * bucketNanos < 0) {
      return last;
    }
    long epoch = elapsed / bucketNanos;
    if (LAST_EPOCH.compareAndSet(this, last, epoch)) {
      mark(last, epoch);
      return epoch;
    }
    return Math.max(epoch, lastEpoch);
  }

  /** Marks the slots of the epochs after {@code from} up to {@code to} with the counters as they are. */
  private void mark(long from, long to) {
    long accepts = accepted.sum();
    long requests = requests(accepts);
    for (long epoch = Math.max(from + 1, to - buckets + 1); epoch <= to; epoch++) {
      int slot = slot(epoch);
      marks.set(slot + TAG, WRITING);
      marks.set(slot + REQUESTS, requests);
      marks.set(slot + ACCEPTS, accepts);
      marks.set(slot + TAG, epoch);
    }
  }

  /**
   * What the window holds.
   *
   * @param requests the requests it holds, local rejections included
   * @param accepts the requests the dependency accepted
   */
  record Counts(long requests, long accepts) {
    static final Counts EMPTY = new Counts(0, 0);
  }
}
