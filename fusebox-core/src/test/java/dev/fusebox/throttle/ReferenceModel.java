package dev.fusebox.throttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The throttle as the SRE book states it, written as plainly as possible: every request is kept with the
 * time it was made, and each decision counts the ones whose bucket lies in the window. Time is the
 * elapsed nanoseconds since the throttle was created, which never wraps; the throttle under test sees a
 * ticker that may.
 */
final class ReferenceModel {

  /** One request: when it was made and how the dependency, or the throttle, answered. */
  private record Request(long at, boolean accepted) {}

  private final double k;
  private final double maxRejectionProbability;
  private final int minimumNumberOfRequests;
  private final long bucketNanos;
  private final long buckets;
  private final Random random;
  private final List<Request> requests = new ArrayList<>();

  ReferenceModel(AdaptiveThrottleConfig config, long seed) {
    this.k = config.k();
    this.maxRejectionProbability = config.maxRejectionProbability();
    this.minimumNumberOfRequests = config.minimumNumberOfRequests();
    long span = config.samplingWindow().toNanos();
    long seconds = (span + 999_999_999L) / 1_000_000_000L;
    this.buckets = Math.max(10, Math.min(1000, seconds));
    this.bucketNanos = (span + buckets - 1) / buckets;
    this.random = new Random(seed);
  }

  private boolean inWindow(Request request, long now) {
    return request.at() / bucketNanos > now / bucketNanos - buckets;
  }

  long requests(long now) {
    return requests.stream().filter(r -> inWindow(r, now)).count();
  }

  long accepts(long now) {
    return requests.stream().filter(r -> inWindow(r, now) && r.accepted()).count();
  }

  double rejectionProbability(long now) {
    long n = requests(now);
    if (n < minimumNumberOfRequests) {
      return 0;
    }
    double excess = n - k * accepts(now);
    return excess <= 0 ? 0 : Math.min(maxRejectionProbability, excess / (n + 1));
  }

  /** Decides a request made at {@code now}; a rejection is kept as a request at once. */
  boolean admit(long now) {
    double p = rejectionProbability(now);
    if (p > 0 && random.nextDouble() < p) {
      requests.add(new Request(now, false));
      return false;
    }
    return true;
  }

  /** Keeps the outcome of an admitted request made at {@code now}. */
  void answered(long now, boolean accepted) {
    requests.add(new Request(now, accepted));
  }
}
