package dev.fusebox.retry;

/** The immutable value behind {@link Retry.Metrics}. */
record RetryMetricsSnapshot(
    long numberOfSuccessfulCallsWithoutRetryAttempt,
    long numberOfSuccessfulCallsWithRetryAttempt,
    long numberOfFailedCallsWithoutRetryAttempt,
    long numberOfFailedCallsWithRetryAttempt,
    long numberOfTotalRetryAttempts,
    long numberOfBudgetExhaustedCalls)
    implements Retry.Metrics {}
