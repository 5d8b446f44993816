package dev.fusebox.bulkhead;

/** The immutable value behind {@link Bulkhead.Metrics}. */
record BulkheadMetricsSnapshot(
    int availableConcurrentCalls,
    int maxAllowedConcurrentCalls,
    int concurrentCalls,
    int waitingCalls,
    long totalPermittedCalls,
    long totalRejectedCalls,
    long totalFinishedCalls)
    implements Bulkhead.Metrics {}
