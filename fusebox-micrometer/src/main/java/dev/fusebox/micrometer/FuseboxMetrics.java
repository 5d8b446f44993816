package dev.fusebox.micrometer;

import dev.fusebox.PolicyKind;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Publishes the policies of any {@link PolicyRegistry} as Micrometer meters: circuit breakers, retries,
 * bulkheads, rate limiters, time limiters, fallbacks, chaos policies, adaptive ones, and policies of your
 * own. Every policy present and every policy added later gets the meters its registry's
 * {@link PolicyRegistry#kind() kind} describes; the meters of a removed policy are removed with it.
 *
 * <pre>{@code
 * FuseboxMetrics metrics = FuseboxMetrics.bind(breakers, meterRegistry);
 * // ...
 * metrics.close(); // removes every meter it registered
 * }</pre>
 *
 * <p>Several registries, common tags, and a {@link MeterBinder} for frameworks that bind binders
 * themselves (Spring Boot picks up a {@code MeterBinder} bean):
 * <pre>{@code
 * FuseboxMetrics metrics = FuseboxMetrics.builder()
 *     .registry(breakers)
 *     .registry(retries)
 *     .registry(bulkheads)
 *     .tags(Tags.of("application", "shop"))
 *     .percentileHistogram(true)
 *     .build();
 * metrics.bindTo(meterRegistry);
 * }</pre>
 *
 * <p>A policy of your own needs no code here: give its registry a {@link PolicyKind} listing its
 * measures, and its policies get one meter per measure.
 *
 * <h2>Meters</h2>
 * Every meter carries the tag {@code name} (the policy's name), the measure's own tags (such as
 * {@code kind}), the policy's tags (a breaker's {@link CircuitBreaker#tags() tags}, its registry's and its
 * own, as Resilience4j's binding publishes them; for other policies their {@link PolicyRegistry#tags()
 * registry's}) and the common tags. Meter names are the {@link PolicyKind.Measure#meterName() measures'}:
 * {@code fusebox.retry.calls}, {@code fusebox.bulkhead.concurrent.calls}, ..., all listed in the Micrometer
 * guide. A Prometheus registry wants every meter of a name to have the same tag keys, so give the policies
 * bound to one the same keys. A breaker has two meters beyond its kind's measures, the call duration and
 * the transitions; names are Micrometer's dotted names, and a Prometheus registry shows them as in the
 * second column.
 * <table>
 *   <caption>Meters of one breaker</caption>
 *   <tr><th>Meter</th><th>Prometheus</th><th>Type</th><th>Tags</th></tr>
 *   <tr><td>{@value #STATE}</td><td>{@code fusebox_circuitbreaker_state}</td><td>gauge, 1 for the current
 *       state and 0 for the others</td><td>{@code state}</td></tr>
 *   <tr><td>{@value #CALLS}</td><td>{@code fusebox_circuitbreaker_calls_total}</td><td>function counter</td>
 *       <td>{@code kind}: successful, failed, ignored, not_permitted</td></tr>
 *   <tr><td>{@value #SLOW_CALLS}</td><td>{@code fusebox_circuitbreaker_slow_calls_total}</td>
 *       <td>function counter</td><td>{@code kind}: successful, failed</td></tr>
 *   <tr><td>{@value #CALL_DURATION}</td><td>{@code fusebox_circuitbreaker_call_duration_seconds}</td>
 *       <td>function timer; a timer with histogram under {@link Builder#percentileHistogram(boolean)}</td>
 *       <td></td></tr>
 *   <tr><td>{@value #FAILURE_RATE}</td><td>{@code fusebox_circuitbreaker_failure_rate_percent}</td>
 *       <td>gauge, -1 below the minimum number of calls</td><td></td></tr>
 *   <tr><td>{@value #SLOW_CALL_RATE}</td><td>{@code fusebox_circuitbreaker_slow_call_rate_percent}</td>
 *       <td>gauge, -1 below the minimum number of calls</td><td></td></tr>
 *   <tr><td>{@value #BUFFERED_CALLS}</td><td>{@code fusebox_circuitbreaker_buffered_calls}</td><td>gauge</td>
 *       <td></td></tr>
 *   <tr><td>{@value #TRANSITIONS}</td><td>{@code fusebox_circuitbreaker_transitions_total}</td><td>counter</td>
 *       <td>{@code from}, {@code to}: a state</td></tr>
 *   <tr><td>{@value #NEXT_TRIAL}</td><td>{@code fusebox_circuitbreaker_next_trial_seconds}</td>
 *       <td>time gauge: seconds until an open breaker admits a trial; 0 in every other state</td><td></td></tr>
 *   <tr><td>{@value #TIME_IN_STATE}</td><td>{@code fusebox_circuitbreaker_time_in_state_seconds}</td>
 *       <td>time gauge</td><td></td></tr>
 *   <tr><td>{@value #RAMP}</td><td>{@code fusebox_circuitbreaker_ramp_percent}</td><td>gauge: share of calls
 *       admitted, 10, 25 or 50 while ramping up after a recovery, 100 otherwise</td><td></td></tr>
 * </table>
 * State tag values are the state names in lower case: {@code closed}, {@code open}, {@code half_open},
 * {@code forced_open}, {@code disabled}, {@code metrics_only}.
 *
 * <h2>Cost</h2>
 * By default the binding adds nothing to the call path: gauges, function counters and the function timer
 * read the policy's own metrics when the registry is scraped, and the transition counter is fed by a transition listener, which runs only when the
 * breaker changes state. Only {@link Builder#percentileHistogram(boolean)} listens to every call: see there.
 *
 * <p>This class is threadsafe. Policies of a kind are told apart by name: bind one registry of a kind to a
 * meter registry, or registries whose policy names differ (or whose common tags do).
 */
public final class FuseboxMetrics implements MeterBinder, AutoCloseable {

  /** Gauge per state: 1 for the breaker's current state, 0 for the others. Tag {@code state}. */
  public static final String STATE = "fusebox.circuitbreaker.state";
  /** Calls by outcome, since the breaker was created. Tag {@code kind}. */
  public static final String CALLS = "fusebox.circuitbreaker.calls";
  /** Slow calls by outcome, since the breaker was created. Tag {@code kind}. */
  public static final String SLOW_CALLS = "fusebox.circuitbreaker.slow.calls";
  /** The duration of recorded calls. */
  public static final String CALL_DURATION = "fusebox.circuitbreaker.call.duration";
  /** The failure rate of the breaker's window, in percent; -1 below the minimum number of calls. */
  public static final String FAILURE_RATE = "fusebox.circuitbreaker.failure.rate";
  /** The slow-call rate of the breaker's window, in percent; -1 below the minimum number of calls. */
  public static final String SLOW_CALL_RATE = "fusebox.circuitbreaker.slow.call.rate";
  /** The number of outcomes in the breaker's window. */
  public static final String BUFFERED_CALLS = "fusebox.circuitbreaker.buffered.calls";
  /** State transitions. Tags {@code from} and {@code to}. */
  public static final String TRANSITIONS = "fusebox.circuitbreaker.transitions";
  /** Time until an open breaker admits a trial call; 0 when it is not open or its wait is over. */
  public static final String NEXT_TRIAL = "fusebox.circuitbreaker.next.trial";
  /** Time since the breaker entered its current state. */
  public static final String TIME_IN_STATE = "fusebox.circuitbreaker.time.in.state";
  /** Share of calls admitted, in percent: below 100 only while ramping up after a recovery. */
  public static final String RAMP = "fusebox.circuitbreaker.ramp";
  /** Function counter: calls rejected during the breaker's openings, which a failing dependency was spared. */
  public static final String SPARED_CALLS = "fusebox.circuitbreaker.spared.calls";
  /** Timer: from each opening to the closing after its trials passed (see {@code Outages}). */
  public static final String RECOVERY = "fusebox.circuitbreaker.recovery";

  /** Tag keys the binding sets itself, which common tags must not use. */
  static final Set<String> RESERVED_TAG_KEYS = Set.of("name", "state", "kind", "from", "to");

  private final List<PolicyRegistry<?, ?, ?>> registries;
  private final Tags commonTags;
  private final boolean percentileHistogram;
  private final Bindings bindings;

  private FuseboxMetrics(Builder b) {
    this.registries = List.copyOf(b.registries);
    this.commonTags = b.tags;
    this.percentileHistogram = b.percentileHistogram;
    this.bindings = new Bindings("FuseboxMetrics", meterRegistry -> {
      List<RegistryBinding<?>> bound = new ArrayList<>(registries.size());
      registries.forEach(registry -> bound.add(follow(registry, meterRegistry)));
      return bound;
    });
  }

  private <P> RegistryBinding<P> follow(PolicyRegistry<P, ?, ?> registry, MeterRegistry meterRegistry) {
    PolicyKind<P> kind = registry.kind();
    return new RegistryBinding<>(registry, policy -> {
      Tags tags = commonTags;
      for (Map.Entry<String, String> tag : tagsOf(registry, policy).entrySet()) {
        tags = tags.and(tag.getKey(), tag.getValue());
      }
      tags = tags.and("name", kind.nameOf(policy));
      RegistryBinding.Meters extra = policy instanceof CircuitBreaker breaker
          ? new BreakerMeters(breaker, meterRegistry, tags, percentileHistogram)
          : null;
      return new PolicyMeters<>(policy, kind, tags, meterRegistry, extra);
    });
  }

  /** Returns a policy's tags: a breaker's own (its registry's merged in), else its registry's. */
  private static Map<String, String> tagsOf(PolicyRegistry<?, ?, ?> registry, Object policy) {
    return policy instanceof CircuitBreaker breaker ? breaker.tags() : registry.tags();
  }

  /**
   * Binds the registry's policies, present and future, to the meter registry.
   *
   * @param registry the policies to publish, present and added later
   * @param meterRegistry where the meters are registered
   * @return the binding, to unbind it later
   */
  public static FuseboxMetrics bind(PolicyRegistry<?, ?, ?> registry, MeterRegistry meterRegistry) {
    return bind(registry, meterRegistry, Tags.empty());
  }

  /**
   * Binds the registry's policies, present and future, to the meter registry with common tags.
   *
   * @param registry the policies to publish, present and added later
   * @param meterRegistry where the meters are registered
   * @param commonTags tags every meter carries besides the binding's own
   * @return the binding, to unbind it later
   */
  public static FuseboxMetrics bind(
      PolicyRegistry<?, ?, ?> registry, MeterRegistry meterRegistry, Iterable<Tag> commonTags) {
    FuseboxMetrics metrics = builder(registry).tags(commonTags).build();
    metrics.bindTo(meterRegistry);
    return metrics;
  }

  /**
   * Returns a builder; give it at least one registry.
   *
   * @return a builder with no registries, no common tags and no percentile histogram
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder of a binder for the registry's policies; the same as
   * {@code builder().registry(registry)}.
   *
   * @param registry the policies to publish, present and added later
   * @return a builder with that registry, no common tags and no percentile histogram
   */
  public static Builder builder(PolicyRegistry<?, ?, ?> registry) {
    return builder().registry(registry);
  }

  /**
   * Registers the meters of every policy of the registries, and of every policy added later, in the meter
   * registry. Binding twice to the same meter registry does nothing the second time.
   *
   * @throws IllegalStateException if this binder was {@linkplain #close() closed}
   */
  @Override
  public void bindTo(MeterRegistry meterRegistry) {
    bindings.bindTo(meterRegistry);
  }

  /**
   * Removes every meter registered in that meter registry and stops following the policy registries there.
   *
   * @param meterRegistry a meter registry this binder was bound to; one it was not bound to is left as it is
   */
  public void unbindFrom(MeterRegistry meterRegistry) {
    bindings.unbindFrom(meterRegistry);
  }

  /** Unbinds from every meter registry. Idempotent. */
  @Override
  public void close() {
    bindings.close();
  }

  /**
   * Returns the common tags.
   *
   * @return the tags every meter of this binder carries, besides its own {@code name}, {@code state}, {@code
   *     kind}, {@code from} and {@code to}
   */
  public Tags commonTags() {
    return commonTags;
  }

  /**
   * Returns whether the call duration is a timer with a percentile histogram fed by every call.
   *
   * @return true if {@link Builder#percentileHistogram(boolean)} was switched on
   */
  public boolean percentileHistogram() {
    return percentileHistogram;
  }

  /**
   * Returns the registries whose policies this binder publishes.
   *
   * @return the registries, in the order they were given; an immutable list
   */
  public List<PolicyRegistry<?, ?, ?>> registries() {
    return registries;
  }

  /** Returns the number of policies with meters in that meter registry; for tests. */
  int size(MeterRegistry meterRegistry) {
    return bindings.policies(meterRegistry);
  }

  @Override
  public String toString() {
    return "FuseboxMetrics[" + registries + ", tags=" + commonTags + ", bound to " + bindings.meterRegistries()
        + " meter registries]";
  }

  /** Builds a {@link FuseboxMetrics}; not threadsafe. */
  public static final class Builder {

    private final List<PolicyRegistry<?, ?, ?>> registries = new ArrayList<>();
    private Tags tags = Tags.empty();
    private boolean percentileHistogram;

    private Builder() {}

    /**
     * Publishes the policies of this registry, present and added later, with the meters of its kind.
     *
     * @param registry a registry of any kind of policy, a policy of your own included
     * @return this builder
     * @throws IllegalArgumentException if the registry was given before
     */
    public Builder registry(PolicyRegistry<?, ?, ?> registry) {
      Objects.requireNonNull(registry, "registry must not be null");
      if (registries.stream().anyMatch(known -> known == registry)) {
        throw new IllegalArgumentException("the registry " + registry + " was given twice");
      }
      registries.add(registry);
      return this;
    }

    /**
     * Adds tags to every meter, for instance the application or the region. Keys {@code name},
     * {@code state}, {@code kind}, {@code from}, {@code to} and those of the registries' measures are the
     * binding's own.
     *
      * @param tags tags added to those given before
      * @return this builder
     * @throws IllegalArgumentException if a tag uses one of the binding's own keys
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(CommonTags.checked(tags, RESERVED_TAG_KEYS));
      return this;
    }

    /**
     * Adds tags given as key, value, key, value...; see {@link #tags(Iterable)}.
     *
     * @param keyValues an even number of strings: a key, its value, the next key, ...
     * @return this builder
     */
    public Builder tags(String... keyValues) {
      Objects.requireNonNull(keyValues, "tags must not be null");
      return tags(Tags.of(keyValues));
    }

    /**
     * Publishes the call duration as a {@link io.micrometer.core.instrument.Timer} with a percentile
     * histogram (Prometheus {@code _bucket} series for {@code histogram_quantile}) instead of the default
     * function timer, which has only a count and a sum. Default off.
     *
     * <p><b>Call-path cost.</b> A histogram needs every duration, which the breaker does not keep, so this
     * option subscribes to each breaker's events: every call then builds an event object (plus a wall-clock
     * read for its timestamp) and records into the timer's histogram, where the default costs nothing per
     * call. Durations are the breaker's own measurements: zero when slow-call detection is off, and of
     * about a millisecond's resolution on the default coarse ticker.
      *
      * @param enabled true for a timer with a percentile histogram, false for the function timer
      * @return this builder
     */
    public Builder percentileHistogram(boolean enabled) {
      this.percentileHistogram = enabled;
      return this;
    }

    /**
     * Builds the binder; nothing is registered until {@link FuseboxMetrics#bindTo(MeterRegistry)}.
     *
     * @return the binder, not yet bound to any meter registry
     * @throws IllegalArgumentException if no registry was given, or a common tag uses the key of a tag of
     *     a registry's measures
     */
    public FuseboxMetrics build() {
      if (registries.isEmpty()) {
        throw new IllegalArgumentException("FuseboxMetrics needs at least one registry: give one to registry(...)");
      }
      Set<String> reserved = new TreeSet<>(RESERVED_TAG_KEYS);
      for (PolicyRegistry<?, ?, ?> registry : registries) {
        registry.kind().measures().forEach(measure -> reserved.addAll(measure.tags().keySet()));
      }
      CommonTags.checked(tags, reserved);
      return new FuseboxMetrics(this);
    }
  }
}
