package dev.fusebox.timelimiter;

/** The immutable value behind {@link TimeLimiter.Metrics}. */
record TimeLimiterMetricsSnapshot(
    long numberOfSuccessfulCalls, long numberOfFailedCalls, long numberOfTimedOutCalls)
    implements TimeLimiter.Metrics {}
