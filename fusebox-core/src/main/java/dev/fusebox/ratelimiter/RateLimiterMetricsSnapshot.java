package dev.fusebox.ratelimiter;

/** The immutable value behind {@link RateLimiter.Metrics}. */
record RateLimiterMetricsSnapshot(
    long availablePermissions,
    int numberOfWaitingThreads,
    int limitForPeriod,
    long totalPermittedPermits,
    long totalSuccessfulAcquisitions,
    long totalFailedAcquisitions)
    implements RateLimiter.Metrics {}
