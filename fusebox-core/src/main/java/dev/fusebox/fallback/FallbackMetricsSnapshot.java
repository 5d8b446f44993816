package dev.fusebox.fallback;

/** The immutable value behind {@link Fallback.Metrics}. */
record FallbackMetricsSnapshot(
    long numberOfSuccessfulCalls,
    long numberOfStaleValuesServed,
    long numberOfCacheMisses,
    long numberOfFallbackCalls,
    long numberOfFailedFallbacks,
    long numberOfUnhandledCalls,
    int lastKnownGoodSize)
    implements Fallback.Metrics {}
