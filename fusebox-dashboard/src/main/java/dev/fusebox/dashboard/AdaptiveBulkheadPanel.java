package dev.fusebox.dashboard;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import java.util.List;

/**
 * The adaptive bulkheads of a registry: the limit each has learnt from latency, charted over time beside
 * the calls in flight, the no-load and latest round trips, whether it is probing, and permitted, rejected
 * and dropped calls per second. The state is {@code PROBING}, {@code FULL} or {@code AVAILABLE}.
 */
final class AdaptiveBulkheadPanel extends PolicyPanel<AdaptiveBulkhead> {

  AdaptiveBulkheadPanel(AdaptiveBulkheadRegistry registry, int historySize, int eventsPerInstance) {
    super("adaptivebulkhead", "Adaptive bulkheads", registry::all, registry::find, AdaptiveBulkhead::name,
        List.of(Series.gauge("limit"), Series.gauge("concurrent"), Series.rate("permitted"), Series.rate("rejected"),
            Series.rate("dropped")),
        historySize, eventsPerInstance);
  }

  @Override
  void read(AdaptiveBulkhead bulkhead, double[] into) {
    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    into[0] = m.limit();
    into[1] = m.concurrentCalls();
    into[2] = m.totalPermittedCalls();
    into[3] = m.totalRejectedCalls();
    into[4] = m.totalDroppedCalls();
  }

  @Override
  void observe(AdaptiveBulkhead bulkhead, Tracked<AdaptiveBulkhead> t) {
    int limit = bulkhead.metrics().limit();
    if (t.remembered instanceof Integer before && before != limit) {
      event(t, "LIMIT_CHANGED", java.util.Map.of("oldLimit", before, "newLimit", limit));
    }
    t.remembered = limit;
  }

  @Override
  void writeFields(AdaptiveBulkhead bulkhead, JsonWriter json) {
    AdaptiveBulkhead.Metrics m = bulkhead.metrics();
    String state = m.probing() ? "PROBING" : m.availableConcurrentCalls() > 0 ? "AVAILABLE" : "FULL";
    json.field("state", state)
        .field("limit", m.limit())
        .field("minLimit", bulkhead.config().minLimit())
        .field("maxLimit", bulkhead.config().maxLimit())
        .field("concurrentCalls", m.concurrentCalls())
        .field("availableConcurrentCalls", m.availableConcurrentCalls())
        .field("probing", m.probing());
    millis(json, "noLoadRttMillis", m.noLoadRtt());
    millis(json, "latestRttMillis", m.latestRtt());
    json.name("totals").beginObject()
        .field("permitted", m.totalPermittedCalls())
        .field("rejected", m.totalRejectedCalls())
        .field("dropped", m.totalDroppedCalls())
        .endObject();
  }
}
