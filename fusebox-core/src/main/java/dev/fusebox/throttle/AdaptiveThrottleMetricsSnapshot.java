package dev.fusebox.throttle;

/** The immutable value behind {@link AdaptiveThrottle.Metrics}. */
record AdaptiveThrottleMetricsSnapshot(
    double rejectionProbability,
    long numberOfRequests,
    long numberOfAccepts,
    long totalRequests,
    long totalAccepts,
    long totalFailedRequests,
    long totalRejectedRequests,
    long totalIgnoredCalls)
    implements AdaptiveThrottle.Metrics {}
