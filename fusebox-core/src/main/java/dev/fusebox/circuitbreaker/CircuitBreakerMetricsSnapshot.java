package dev.fusebox.circuitbreaker;

import java.time.Duration;
import java.util.Optional;

/** The immutable value behind {@link CircuitBreaker.Metrics}. */
record CircuitBreakerMetricsSnapshot(
    CircuitBreaker.State state,
    double failureRate,
    double slowCallRate,
    int numberOfBufferedCalls,
    int numberOfFailedCalls,
    int numberOfSlowCalls,
    int numberOfSuccessfulCalls,
    int numberOfSlowSuccessfulCalls,
    int numberOfSlowFailedCalls,
    long numberOfNotPermittedCalls,
    long totalSuccessfulCalls,
    long totalFailedCalls,
    long totalSlowSuccessfulCalls,
    long totalSlowFailedCalls,
    long totalIgnoredCalls,
    long totalNotPermittedCalls,
    Duration totalCallDuration,
    double rampPercentage,
    Duration nextTrialInOrNull,
    Duration timeInState,
    long totalSuccessfulProbes,
    long totalFailedProbes)
    implements CircuitBreaker.Metrics {

  @Override
  public Optional<Duration> nextTrialIn() {
    return Optional.ofNullable(nextTrialInOrNull);
  }
}
