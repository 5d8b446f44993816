package dev.fusebox.chaos;

/** The immutable value behind {@link Chaos.Metrics}. */
record ChaosMetricsSnapshot(
    long numberOfCalls, long numberOfInjectedFaults, long numberOfInjectedResults, long numberOfInjectedLatencies)
    implements Chaos.Metrics {}
