package dev.fusebox.micrometer;

import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.timelimiter.TimeLimiter;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Publishes the breaker's companions as Micrometer meters: the retries, bulkheads, adaptive bulkheads, rate
 * limiters, time limiters and chaos policies of the registries given, present and added later; the meters
 * of a removed one are removed with it. {@link FuseboxMetrics} does the same for circuit breakers.
 *
 * <pre>{@code
 * CompanionMetrics metrics = CompanionMetrics.builder()
 *     .retries(retryRegistry)
 *     .bulkheads(bulkheadRegistry)
 *     .rateLimiters(rateLimiterRegistry)
 *     .tags("application", "shop")
 *     .build();
 * metrics.bindTo(meterRegistry);   // or declare it as a MeterBinder bean in Spring Boot
 * // ...
 * metrics.close();                 // removes every meter it registered
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter carries the tag {@code name} (the policy's name) and the common tags; names follow
 * Resilience4j's, under {@code fusebox.}. Prometheus shows {@code fusebox.retry.calls} as
 * {@code fusebox_retry_calls_total}, gauges without the suffix.
 * <table>
 *   <caption>Meters of the companions</caption>
 *   <tr><th>Meter</th><th>Type</th><th>Tag {@code kind}</th></tr>
 *   <tr><td>{@value #RETRY_CALLS}</td><td>function counter</td><td>successful_without_retry,
 *       successful_with_retry, failed_without_retry, failed_with_retry</td></tr>
 *   <tr><td>{@value #RETRY_ATTEMPTS}</td><td>function counter</td><td></td></tr>
 *   <tr><td>{@value #RETRY_BUDGET_EXHAUSTED}</td><td>function counter</td><td></td></tr>
 *   <tr><td>{@value #BULKHEAD_AVAILABLE}, {@value #BULKHEAD_MAX_ALLOWED}, {@value #BULKHEAD_CONCURRENT},
 *       {@value #BULKHEAD_WAITING}</td><td>gauges</td><td></td></tr>
 *   <tr><td>{@value #BULKHEAD_CALLS}</td><td>function counter</td><td>permitted, rejected, finished</td></tr>
 *   <tr><td>{@value #ADAPTIVE_LIMIT}, {@value #ADAPTIVE_CONCURRENT}, {@value #ADAPTIVE_AVAILABLE},
 *       {@value #ADAPTIVE_PROBING}</td><td>gauges</td><td></td></tr>
 *   <tr><td>{@value #ADAPTIVE_RTT}</td><td>time gauge, NaN until measured</td><td>no_load, latest</td></tr>
 *   <tr><td>{@value #ADAPTIVE_CALLS}</td><td>function counter</td><td>permitted, rejected, dropped</td></tr>
 *   <tr><td>{@value #RATE_LIMITER_AVAILABLE}, {@value #RATE_LIMITER_WAITING}, {@value #RATE_LIMITER_LIMIT}</td>
 *       <td>gauges</td><td></td></tr>
 *   <tr><td>{@value #RATE_LIMITER_CALLS}</td><td>function counter</td><td>successful, failed</td></tr>
 *   <tr><td>{@value #RATE_LIMITER_PERMITS}</td><td>function counter</td><td></td></tr>
 *   <tr><td>{@value #TIME_LIMITER_CALLS}</td><td>function counter</td><td>successful, failed, timeout</td></tr>
 *   <tr><td>{@value #CHAOS_CALLS}</td><td>function counter</td><td></td></tr>
 *   <tr><td>{@value #CHAOS_INJECTIONS}</td><td>function counter</td><td>fault, result, latency</td></tr>
 *   <tr><td>{@value #CHAOS_ENABLED}</td><td>gauge</td><td></td></tr>
 * </table>
 *
 * <h2>Cost</h2>
 * Nothing on the call path: every meter reads the policy's own metrics when the registry is scraped.
 *
 * <p>This class is threadsafe.
 */
public final class CompanionMetrics implements MeterBinder, AutoCloseable {

  /** Retry calls by outcome. Tag {@code kind}. */
  public static final String RETRY_CALLS = "fusebox.retry.calls";
  /** Retries made: attempts beyond each call's first. */
  public static final String RETRY_ATTEMPTS = "fusebox.retry.attempts";
  /** Calls that ended because the retry budget refused a retry. */
  public static final String RETRY_BUDGET_EXHAUSTED = "fusebox.retry.budget.exhausted";
  /** Calls that could enter the bulkhead now without waiting. */
  public static final String BULKHEAD_AVAILABLE = "fusebox.bulkhead.available.concurrent.calls";
  /** The bulkhead's limit. */
  public static final String BULKHEAD_MAX_ALLOWED = "fusebox.bulkhead.max.allowed.concurrent.calls";
  /** Calls running in the bulkhead now. */
  public static final String BULKHEAD_CONCURRENT = "fusebox.bulkhead.concurrent.calls";
  /** Callers waiting for a bulkhead permit now. */
  public static final String BULKHEAD_WAITING = "fusebox.bulkhead.waiting.calls";
  /** Bulkhead calls: permitted, rejected, finished. Tag {@code kind}. */
  public static final String BULKHEAD_CALLS = "fusebox.bulkhead.calls";
  /** The adaptive bulkhead's current limit. */
  public static final String ADAPTIVE_LIMIT = "fusebox.bulkhead.adaptive.limit";
  /** Calls in flight through the adaptive bulkhead. */
  public static final String ADAPTIVE_CONCURRENT = "fusebox.bulkhead.adaptive.concurrent.calls";
  /** Calls that could enter the adaptive bulkhead now. */
  public static final String ADAPTIVE_AVAILABLE = "fusebox.bulkhead.adaptive.available.concurrent.calls";
  /** 1 while the adaptive bulkhead probes its no-load latency, else 0. */
  public static final String ADAPTIVE_PROBING = "fusebox.bulkhead.adaptive.probing";
  /** The latencies the adaptive limit is judged by. Tag {@code kind}: no_load, latest. */
  public static final String ADAPTIVE_RTT = "fusebox.bulkhead.adaptive.rtt";
  /** Adaptive bulkhead calls: permitted, rejected, dropped. Tag {@code kind}. */
  public static final String ADAPTIVE_CALLS = "fusebox.bulkhead.adaptive.calls";
  /** Rate limiter permits available now. */
  public static final String RATE_LIMITER_AVAILABLE = "fusebox.ratelimiter.available.permissions";
  /** Threads waiting for their reserved permits. */
  public static final String RATE_LIMITER_WAITING = "fusebox.ratelimiter.waiting.threads";
  /** Permits per period in force. */
  public static final String RATE_LIMITER_LIMIT = "fusebox.ratelimiter.limit.for.period";
  /** Requests for permits: successful, failed. Tag {@code kind}. */
  public static final String RATE_LIMITER_CALLS = "fusebox.ratelimiter.calls";
  /** Permits granted. */
  public static final String RATE_LIMITER_PERMITS = "fusebox.ratelimiter.permits";
  /** Time limiter calls: successful, failed, timeout. Tag {@code kind}. */
  public static final String TIME_LIMITER_CALLS = "fusebox.timelimiter.calls";
  /** Calls through a chaos policy. */
  public static final String CHAOS_CALLS = "fusebox.chaos.calls";
  /** What a chaos policy injected: fault, result, latency. Tag {@code kind}. */
  public static final String CHAOS_INJECTIONS = "fusebox.chaos.injections";
  /** 1 while a chaos policy may inject, else 0. */
  public static final String CHAOS_ENABLED = "fusebox.chaos.enabled";

  /** Tag keys the binding sets itself, which common tags must not use. */
  static final Set<String> RESERVED_TAG_KEYS = Set.of("name", "kind");

  /** Binds one registry's policies to one meter registry. */
  private interface Follower {
    RegistryBinding<?> bind(MeterRegistry meterRegistry, Tags tags);
  }

  private final int registries;
  private final Tags commonTags;
  private final Bindings bindings;

  private CompanionMetrics(Builder b) {
    List<Follower> followers = List.copyOf(b.followers);
    this.registries = followers.size();
    this.commonTags = b.tags;
    this.bindings = new Bindings("CompanionMetrics", r -> {
      List<RegistryBinding<?>> list = new ArrayList<>(followers.size());
      followers.forEach(f -> list.add(f.bind(r, commonTags)));
      return list;
    });
  }

  /**
   * Returns a builder; give it at least one registry.
   *
   * @return a builder with no registries and no common tags
   */
  public static Builder builder() {
    return new Builder();
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
   * Removes every meter registered in that meter registry and stops following the registries there.
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
   * @return the tags every meter of this binder carries, besides its own {@code name} and {@code kind}
   */
  public Tags commonTags() {
    return commonTags;
  }

  /** Returns the number of policies with meters in that meter registry; for tests. */
  int size(MeterRegistry meterRegistry) {
    return bindings.policies(meterRegistry);
  }

  @Override
  public String toString() {
    return "CompanionMetrics[" + registries + " registries, tags=" + commonTags + ", bound to "
        + bindings.meterRegistries() + " meter registries]";
  }

  /** Builds a {@link CompanionMetrics}; not threadsafe. */
  public static final class Builder {

    private final List<Follower> followers = new ArrayList<>();
    private final List<Object> registries = new ArrayList<>();
    private Tags tags = Tags.empty();

    private Builder() {}

    /**
     * Publishes the retries of this registry ({@code fusebox.retry.*}).
     *
     * @param registry the retries to publish, present and added later
     * @return this builder
     */
    public Builder retries(RetryRegistry registry) {
      Objects.requireNonNull(registry, "retries must not be null");
      RegistryBinding.Source<Retry> source = new RegistryBinding.Source<Retry>(
          registry::all, registry::find, registry::onAdded, registry::onRemoved, Retry::name);
      return follow(registry, (r, t) -> new RegistryBinding<>(source, p -> CompanionMeters.retry(p, r, t)));
    }

    /**
     * Publishes the bulkheads of this registry ({@code fusebox.bulkhead.*}).
     *
     * @param registry the bulkheads to publish, present and added later
     * @return this builder
     */
    public Builder bulkheads(BulkheadRegistry registry) {
      Objects.requireNonNull(registry, "bulkheads must not be null");
      RegistryBinding.Source<Bulkhead> source = new RegistryBinding.Source<Bulkhead>(
          registry::all, registry::find, registry::onAdded, registry::onRemoved, Bulkhead::name);
      return follow(registry, (r, t) -> new RegistryBinding<>(source, p -> CompanionMeters.bulkhead(p, r, t)));
    }

    /**
     * Publishes the adaptive bulkheads of this registry ({@code fusebox.bulkhead.adaptive.*}).
     *
     * @param registry the adaptive bulkheads to publish, present and added later
     * @return this builder
     */
    public Builder adaptiveBulkheads(AdaptiveBulkheadRegistry registry) {
      Objects.requireNonNull(registry, "adaptiveBulkheads must not be null");
      RegistryBinding.Source<AdaptiveBulkhead> source = new RegistryBinding.Source<AdaptiveBulkhead>(
          registry::all, registry::find, registry::onAdded, registry::onRemoved, AdaptiveBulkhead::name);
      return follow(registry,
          (r, t) -> new RegistryBinding<>(source, p -> CompanionMeters.adaptiveBulkhead(p, r, t)));
    }

    /**
     * Publishes the rate limiters of this registry ({@code fusebox.ratelimiter.*}).
     *
     * @param registry the rate limiters to publish, present and added later
     * @return this builder
     */
    public Builder rateLimiters(RateLimiterRegistry registry) {
      Objects.requireNonNull(registry, "rateLimiters must not be null");
      RegistryBinding.Source<RateLimiter> source = new RegistryBinding.Source<RateLimiter>(
          registry::all, registry::find, registry::onAdded, registry::onRemoved, RateLimiter::name);
      return follow(registry, (r, t) -> new RegistryBinding<>(source, p -> CompanionMeters.rateLimiter(p, r, t)));
    }

    /**
     * Publishes the time limiters of this registry ({@code fusebox.timelimiter.*}).
     *
     * @param registry the time limiters to publish, present and added later
     * @return this builder
     */
    public Builder timeLimiters(TimeLimiterRegistry registry) {
      Objects.requireNonNull(registry, "timeLimiters must not be null");
      RegistryBinding.Source<TimeLimiter> source = new RegistryBinding.Source<TimeLimiter>(
          registry::all, registry::find, registry::onAdded, registry::onRemoved, TimeLimiter::name);
      return follow(registry, (r, t) -> new RegistryBinding<>(source, p -> CompanionMeters.timeLimiter(p, r, t)));
    }

    /**
     * Publishes the chaos policies of this registry ({@code fusebox.chaos.*}), to see an experiment run.
     *
     * @param registry the chaos policies to publish, present and added later
     * @return this builder
     */
    public Builder chaos(ChaosRegistry registry) {
      Objects.requireNonNull(registry, "chaos must not be null");
      RegistryBinding.Source<Chaos> source = new RegistryBinding.Source<Chaos>(
          registry::all, registry::find, registry::onAdded, registry::onRemoved, Chaos::name);
      return follow(registry, (r, t) -> new RegistryBinding<>(source, p -> CompanionMeters.chaos(p, r, t)));
    }

    private Builder follow(Object registry, Follower follower) {
      if (registries.stream().anyMatch(known -> known == registry)) {
        throw new IllegalArgumentException("the registry " + registry + " was given twice");
      }
      registries.add(registry);
      followers.add(follower);
      return this;
    }

    /**
     * Adds tags to every meter, for instance the application or the region. Keys {@code name} and
     * {@code kind} are the binding's own.
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
     * Builds the binder; nothing is registered until {@link CompanionMetrics#bindTo(MeterRegistry)}.
     *
      * @return the binder, not yet bound to any meter registry
     * @throws IllegalArgumentException if no registry was given
     */
    public CompanionMetrics build() {
      if (followers.isEmpty()) {
        throw new IllegalArgumentException(
            "CompanionMetrics needs at least one registry: retries, bulkheads, adaptiveBulkheads, rateLimiters,"
                + " timeLimiters or chaos");
      }
      return new CompanionMetrics(this);
    }
  }
}
