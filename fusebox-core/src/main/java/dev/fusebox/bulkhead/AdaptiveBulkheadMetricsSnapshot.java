package dev.fusebox.bulkhead;

import java.time.Duration;
import java.util.Optional;

/** The immutable value behind {@link AdaptiveBulkhead.Metrics}. */
record AdaptiveBulkheadMetricsSnapshot(
    int limit,
    int concurrentCalls,
    int availableConcurrentCalls,
    Duration noLoadRttOrNull,
    Duration latestRttOrNull,
    boolean probing,
    long totalPermittedCalls,
    long totalRejectedCalls,
    long totalDroppedCalls)
    implements AdaptiveBulkhead.Metrics {

  @Override
  public Optional<Duration> noLoadRtt() {
    return Optional.ofNullable(noLoadRttOrNull);
  }

  @Override
  public Optional<Duration> latestRtt() {
    return Optional.ofNullable(latestRttOrNull);
  }
}
