package dev.fusebox.dashboard;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadRegistry;
import java.util.List;

/**
 * The semaphore bulkheads of a registry: calls in flight against the limit, callers waiting, permitted and
 * rejected calls per second. The state is {@code FULL} while no permit is free, else {@code AVAILABLE}.
 */
final class BulkheadPanel extends PolicyPanel<Bulkhead> {

  BulkheadPanel(BulkheadRegistry registry, int historySize, int eventsPerInstance) {
    super("bulkhead", "Bulkheads", registry::all, registry::find, Bulkhead::name,
        List.of(Series.rate("permitted"), Series.rate("rejected"), Series.gauge("concurrent")),
        historySize, eventsPerInstance);
  }

  @Override
  void read(Bulkhead bulkhead, double[] into) {
    Bulkhead.Metrics m = bulkhead.metrics();
    into[0] = m.totalPermittedCalls();
    into[1] = m.totalRejectedCalls();
    into[2] = m.concurrentCalls();
  }

  @Override
  void writeFields(Bulkhead bulkhead, JsonWriter json) {
    Bulkhead.Metrics m = bulkhead.metrics();
    json.field("state", m.availableConcurrentCalls() > 0 ? "AVAILABLE" : "FULL")
        .field("maxConcurrentCalls", m.maxAllowedConcurrentCalls())
        .field("concurrentCalls", m.concurrentCalls())
        .field("availableConcurrentCalls", m.availableConcurrentCalls())
        .field("waitingCalls", m.waitingCalls())
        .field("maxWaitDurationMillis", bulkhead.config().maxWaitDuration().toNanos() / 1e6)
        .name("totals").beginObject()
        .field("permitted", m.totalPermittedCalls())
        .field("rejected", m.totalRejectedCalls())
        .field("finished", m.totalFinishedCalls())
        .endObject();
  }
}
