package dev.fusebox.dashboard;

import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import java.util.List;

/**
 * The rate limiters of a registry: the limit per period and the algorithm, permits available now (negative
 * while callers hold reservations), callers waiting, and acquisitions granted and refused per second. The
 * state is {@code EXHAUSTED} while no permit is available, else {@code AVAILABLE}.
 */
final class RateLimiterPanel extends PolicyPanel<RateLimiter> {

  RateLimiterPanel(RateLimiterRegistry registry, int historySize, int eventsPerInstance) {
    super("ratelimiter", "Rate limiters", registry::all, registry::find, RateLimiter::name,
        List.of(Series.rate("acquired"), Series.rate("refused")), historySize, eventsPerInstance);
  }

  @Override
  void read(RateLimiter limiter, double[] into) {
    RateLimiter.Metrics m = limiter.metrics();
    into[0] = m.totalSuccessfulAcquisitions();
    into[1] = m.totalFailedAcquisitions();
  }

  @Override
  void writeFields(RateLimiter limiter, JsonWriter json) {
    RateLimiter.Metrics m = limiter.metrics();
    RateLimiterConfig config = limiter.config();
    json.field("state", m.availablePermissions() > 0 ? "AVAILABLE" : "EXHAUSTED")
        .field("algorithm", config.algorithm().name())
        .field("limitForPeriod", m.limitForPeriod())
        .field("limitRefreshPeriodMillis", config.limitRefreshPeriod().toNanos() / 1e6)
        .field("availablePermissions", m.availablePermissions())
        .field("waitingThreads", m.numberOfWaitingThreads())
        .name("totals").beginObject()
        .field("permittedPermits", m.totalPermittedPermits())
        .field("successful", m.totalSuccessfulAcquisitions())
        .field("failed", m.totalFailedAcquisitions())
        .endObject();
  }
}
