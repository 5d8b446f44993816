package dev.fusebox.dashboard;

import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.util.List;

/** The time limiters of a registry: the timeout, and calls that succeeded, failed or timed out per second. */
final class TimeLimiterPanel extends PolicyPanel<TimeLimiter> {

  TimeLimiterPanel(TimeLimiterRegistry registry, int historySize, int eventsPerInstance) {
    super("timelimiter", "Time limiters", registry::all, registry::find, TimeLimiter::name,
        List.of(Series.rate("successful"), Series.rate("failed"), Series.rate("timedOut")), historySize,
        eventsPerInstance);
  }

  @Override
  void read(TimeLimiter limiter, double[] into) {
    TimeLimiter.Metrics m = limiter.metrics();
    into[0] = m.numberOfSuccessfulCalls();
    into[1] = m.numberOfFailedCalls();
    into[2] = m.numberOfTimedOutCalls();
  }

  @Override
  void writeFields(TimeLimiter limiter, JsonWriter json) {
    TimeLimiter.Metrics m = limiter.metrics();
    json.field("timeoutMillis", limiter.config().timeoutDuration().toNanos() / 1e6)
        .name("totals").beginObject()
        .field("successful", m.numberOfSuccessfulCalls())
        .field("failed", m.numberOfFailedCalls())
        .field("timedOut", m.numberOfTimedOutCalls())
        .endObject();
  }
}
