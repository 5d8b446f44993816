package dev.fusebox.micrometer;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyKind.Measure;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one policy of any kind in one meter registry, one per measure of its {@link PolicyKind}.
 *
 * <p>Design note. Every meter reads the policy when the registry is scraped: cumulative totals become
 * function counters, current values gauges, durations time gauges, so nothing is added to the call path.
 * Micrometer holds the policy weakly. All meters are registered up front, so closing needs no lock. What a
 * kind cannot describe as a number read at scrape time (a breaker's transitions, fed by a listener) comes
 * as {@code extra} meters, closed with these.
 *
 * <p>This class is threadsafe once constructed.
 *
 * @param <P> the policy type
 */
final class PolicyMeters<P> implements RegistryBinding.Meters {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final RegistryBinding.Meters extra;
  private volatile boolean closed;

  /**
   * @param tags the policy's tags: the common tags, the policy's own and its name
   * @param extra meters beyond the kind's measures, or {@code null}
   */
  PolicyMeters(P policy, PolicyKind<P> kind, Tags tags, MeterRegistry registry, RegistryBinding.Meters extra) {
    this.registry = registry;
    this.extra = extra;
    for (Measure<P> measure : kind.measures()) {
      meters.add(register(policy, measure, withMeasureTags(tags, measure.tags())));
    }
  }

  /** Returns the tags with a measure's own over them: the binding's keys win over the policy's. */
  private static Tags withMeasureTags(Tags tags, Map<String, String> own) {
    Tags all = tags;
    for (Map.Entry<String, String> tag : own.entrySet()) {
      all = all.and(tag.getKey(), tag.getValue());
    }
    return all;
  }

  private Meter register(P policy, Measure<P> measure, Tags tags) {
    return switch (measure.type()) {
      case COUNTER -> FunctionCounter.builder(measure.meterName(), policy, measure::read)
          .description(measure.description())
          .baseUnit(measure.baseUnit())
          .tags(tags)
          .register(registry);
      case GAUGE -> Gauge.builder(measure.meterName(), policy, measure::read)
          .description(measure.description())
          .baseUnit(measure.baseUnit())
          .tags(tags)
          .register(registry);
      case TIME_GAUGE -> TimeGauge.builder(measure.meterName(), policy, TimeUnit.NANOSECONDS, measure::read)
          .description(measure.description())
          .tags(tags)
          .register(registry);
    };
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (extra != null) {
        extra.close();
      }
      meters.forEach(registry::remove);
    }
  }
}
