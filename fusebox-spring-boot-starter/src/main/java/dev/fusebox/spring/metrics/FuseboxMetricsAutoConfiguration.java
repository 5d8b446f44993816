package dev.fusebox.spring.metrics;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.micrometer.CompanionMetrics;
import dev.fusebox.micrometer.FuseboxMetrics;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Publishes every circuit breaker as Micrometer meters ({@code fusebox.circuitbreaker.*}, see
 * {@link FuseboxMetrics}), and every retry, bulkhead, rate limiter and time limiter of the application's
 * registries ({@code fusebox.retry.*} and so on, see {@link CompanionMetrics}), when Micrometer and
 * fusebox-micrometer are on the class path: {@link MeterBinder} beans, which Spring Boot binds to the
 * application's meter registries. Off with
 * {@code fusebox.metrics.enabled=false}; {@code fusebox.metrics.percentile-histogram=true} publishes a
 * call-duration histogram (at the cost of an event per call).
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, FuseboxMetrics.class})
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "metrics.enabled"}, matchIfMissing = true)
public final class FuseboxMetricsAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxMetricsAutoConfiguration() {}

  /**
   * The binding of the breakers to Micrometer.
   *
   * @param registry the breakers
   * @param percentileHistogram whether call durations go into a histogram
    * @return the binding, which Spring Boot binds to every meter registry
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(CircuitBreakerRegistry.class)
  public FuseboxMetrics fuseboxMetrics(
      CircuitBreakerRegistry registry,
      @org.springframework.beans.factory.annotation.Value("${fusebox.metrics.percentile-histogram:false}")
          boolean percentileHistogram) {
    return FuseboxMetrics.builder(registry).percentileHistogram(percentileHistogram).build();
  }

  /**
   * The binding of the other policies to Micrometer: every policy registry the application has as a bean.
   *
   * @param retries the retries, if a bean
   * @param bulkheads the bulkheads, if a bean
   * @param adaptiveBulkheads the adaptive bulkheads, if the application declares a registry bean
   * @param rateLimiters the rate limiters, if a bean
   * @param timeLimiters the time limiters, if a bean
   * @param chaos the chaos policies, if a bean
    * @return the binding, which Spring Boot binds to every meter registry
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(AnyOtherPolicyRegistry.class)
  public CompanionMetrics fuseboxCompanionMetrics(
      ObjectProvider<RetryRegistry> retries,
      ObjectProvider<BulkheadRegistry> bulkheads,
      ObjectProvider<AdaptiveBulkheadRegistry> adaptiveBulkheads,
      ObjectProvider<RateLimiterRegistry> rateLimiters,
      ObjectProvider<TimeLimiterRegistry> timeLimiters,
      ObjectProvider<ChaosRegistry> chaos) {
    CompanionMetrics.Builder b = CompanionMetrics.builder();
    retries.ifUnique(b::retries);
    bulkheads.ifUnique(b::bulkheads);
    adaptiveBulkheads.ifUnique(b::adaptiveBulkheads);
    rateLimiters.ifUnique(b::rateLimiters);
    timeLimiters.ifUnique(b::timeLimiters);
    chaos.ifUnique(b::chaos);
    return b.build();
  }

  /** Matches when the application has a registry of any policy but the breakers, whichever are switched off. */
  static final class AnyOtherPolicyRegistry extends AnyNestedCondition {

    AnyOtherPolicyRegistry() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(RetryRegistry.class)
    static final class Retries {}

    @ConditionalOnBean(BulkheadRegistry.class)
    static final class Bulkheads {}

    @ConditionalOnBean(AdaptiveBulkheadRegistry.class)
    static final class AdaptiveBulkheads {}

    @ConditionalOnBean(RateLimiterRegistry.class)
    static final class RateLimiters {}

    @ConditionalOnBean(TimeLimiterRegistry.class)
    static final class TimeLimiters {}

    @ConditionalOnBean(ChaosRegistry.class)
    static final class Chaos {}
  }
}
