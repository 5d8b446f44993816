package dev.fusebox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.chaos.ChaosSettings;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerCustomizer;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerProperties;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every option of every policy reaches the core's configuration, with inheritance and defaults. */
class PropertiesBindingTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class));

  @Test
  void bindsEveryCircuitBreakerOptionInKebabCase() {
    runner
        .withPropertyValues(
            "fusebox.circuitbreaker.instances.backend.count-based-window=20",
            "fusebox.circuitbreaker.instances.backend.minimum-number-of-calls=10",
            "fusebox.circuitbreaker.instances.backend.failure-rate-threshold=25",
            "fusebox.circuitbreaker.instances.backend.slow-call-rate-threshold=80",
            "fusebox.circuitbreaker.instances.backend.slow-call-duration-threshold=2s",
            "fusebox.circuitbreaker.instances.backend.slow-call-detection=true",
            "fusebox.circuitbreaker.instances.backend.consecutive-failure-threshold=7",
            "fusebox.circuitbreaker.instances.backend.wait-duration-in-open-state=30s",
            "fusebox.circuitbreaker.instances.backend.open-state-backoff.multiplier=2.5",
            "fusebox.circuitbreaker.instances.backend.open-state-backoff.max=5m",
            "fusebox.circuitbreaker.instances.backend.open-state-jitter=0.1",
            "fusebox.circuitbreaker.instances.backend.permitted-number-of-calls-in-half-open-state=4",
            "fusebox.circuitbreaker.instances.backend.max-wait-duration-in-half-open-state=20s",
            "fusebox.circuitbreaker.instances.backend.automatic-transition-from-open-to-half-open-enabled=true",
            "fusebox.circuitbreaker.instances.backend.recovery-ramp=45s",
            "fusebox.circuitbreaker.instances.backend.record-exceptions=java.io.IOException,java.io.UncheckedIOException",
            "fusebox.circuitbreaker.instances.backend.ignore-exceptions=java.lang.IllegalArgumentException")
        .run(context -> {
          CircuitBreakerConfig c =
              context.getBean(CircuitBreakerRegistry.class).find("backend").orElseThrow().config();
          assertThat(c.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.COUNT_BASED);
          assertThat(c.windowSize()).isEqualTo(20);
          assertThat(c.minimumNumberOfCalls()).isEqualTo(10);
          assertThat(c.failureRateThreshold()).isEqualTo(25.0);
          assertThat(c.slowCallRateThreshold()).isEqualTo(80.0);
          assertThat(c.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(2));
          assertThat(c.slowCallDetection()).isTrue();
          assertThat(c.consecutiveFailureThreshold()).isEqualTo(7);
          assertThat(c.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(30));
          assertThat(c.openStateBackoffMultiplier()).isEqualTo(2.5);
          assertThat(c.openStateBackoffMax()).isEqualTo(Duration.ofMinutes(5));
          assertThat(c.openStateJitter()).isEqualTo(0.1);
          assertThat(c.permittedNumberOfCallsInHalfOpenState()).isEqualTo(4);
          assertThat(c.maxWaitDurationInHalfOpenState()).isEqualTo(Duration.ofSeconds(20));
          assertThat(c.automaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
          assertThat(c.recoveryRamp()).isEqualTo(Duration.ofSeconds(45));
          assertThat(c.recordExceptions()).containsExactly(IOException.class, UncheckedIOException.class);
          assertThat(c.ignoreExceptions()).containsExactly(IllegalArgumentException.class);
        });
  }

  @Test
  void bindsTheTrafficLatencyAndDeployModeOptionsInheritingPercentileAndMultiplierEachOnItsOwn() {
    runner
        .withPropertyValues(
            "fusebox.circuitbreaker.configs.default.slow-call-duration-multiplier=3",
            "fusebox.circuitbreaker.instances.backend.failure-rate-confidence=0.95",
            "fusebox.circuitbreaker.instances.backend.slow-call-duration-percentile=99",
            "fusebox.circuitbreaker.instances.backend.slow-call-baseline-period=30s",
            "fusebox.circuitbreaker.instances.backend.slow-call-baseline-minimum-calls=50",
            "fusebox.circuitbreaker.instances.backend.deploy-mode-failure-threshold=2",
            "fusebox.circuitbreaker.instances.backend.slow-call-duration-threshold=2s")
        .run(context -> {
          CircuitBreaker backend = context.getBean(CircuitBreakerRegistry.class).find("backend").orElseThrow();
          CircuitBreakerConfig c = backend.config();
          assertThat(c.failureRateConfidence()).isEqualTo(0.95);
          assertThat(c.minimumNumberOfCalls()).isEqualTo(1); // the confidence rule decides how many calls suffice
          assertThat(c.slowCallDurationPercentile()).isEqualTo(99.0);
          assertThat(c.slowCallDurationMultiplier()).isEqualTo(3.0); // configs.default's
          assertThat(c.slowCallBaselinePeriod()).isEqualTo(Duration.ofSeconds(30));
          assertThat(c.slowCallBaselineMinimumCalls()).isEqualTo(50);
          assertThat(c.deployModeFailureThreshold()).isEqualTo(2);
          // Nothing learnt yet: the configured duration decides.
          assertThat(backend.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(2));
        });
  }

  @Test
  void bindsATimeBasedWindowAndSlowCallDetectionOff() {
    runner
        .withPropertyValues(
            "fusebox.circuitbreaker.instances.backend.time-based-window=90s",
            "fusebox.circuitbreaker.instances.backend.slow-call-detection=false")
        .run(context -> {
          CircuitBreakerConfig c =
              context.getBean(CircuitBreakerRegistry.class).find("backend").orElseThrow().config();
          assertThat(c.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.TIME_BASED);
          assertThat(c.windowSpan()).isEqualTo(Duration.ofSeconds(90));
          assertThat(c.slowCallDetection()).isFalse();
        });
  }

  @Test
  void readsResilience4jWindowNamesInCamelCase() {
    runner
        .withPropertyValues(
            "fusebox.circuitbreaker.instances.timed.slidingWindowType=TIME_BASED",
            "fusebox.circuitbreaker.instances.timed.slidingWindowSize=30",
            "fusebox.circuitbreaker.instances.counted.slidingWindowSize=10",
            "fusebox.circuitbreaker.instances.counted.waitDurationInOpenState=5s",
            "fusebox.circuitbreaker.instances.counted.allowHealthIndicatorToFail=true")
        .run(context -> {
          CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
          CircuitBreakerConfig timed = registry.find("timed").orElseThrow().config();
          assertThat(timed.windowSpan()).isEqualTo(Duration.ofSeconds(30));
          CircuitBreakerConfig counted = registry.find("counted").orElseThrow().config();
          assertThat(counted.windowSize()).isEqualTo(10);
          assertThat(counted.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(5));
          assertThat(context.getBean(CircuitBreakerProperties.class).isCritical("counted")).isTrue();
          assertThat(context.getBean(CircuitBreakerProperties.class).isCritical("timed")).isFalse();
        });
  }

  @Test
  void inheritsOptionByOptionThroughBaseConfigsAndTheDefault() {
    runner
        .withPropertyValues(
            "fusebox.circuitbreaker.configs.default.failure-rate-threshold=30",
            "fusebox.circuitbreaker.configs.default.count-based-window=40",
            "fusebox.circuitbreaker.configs.strict.wait-duration-in-open-state=5s",
            "fusebox.circuitbreaker.configs.strict.count-based-window=10",
            "fusebox.circuitbreaker.instances.payments.base-config=strict",
            "fusebox.circuitbreaker.instances.payments.minimum-number-of-calls=5",
            "fusebox.circuitbreaker.instances.inventory.recovery-ramp=30s")
        .run(context -> {
          CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
          CircuitBreakerConfig payments = registry.find("payments").orElseThrow().config();
          assertThat(payments.minimumNumberOfCalls()).isEqualTo(5);                          // its own
          assertThat(payments.windowSize()).isEqualTo(10);                                   // strict's
          assertThat(payments.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(5));   // strict's
          assertThat(payments.failureRateThreshold()).isEqualTo(30.0);                       // default's
          CircuitBreakerConfig inventory = registry.find("inventory").orElseThrow().config();
          assertThat(inventory.recoveryRamp()).isEqualTo(Duration.ofSeconds(30));
          assertThat(inventory.windowSize()).isEqualTo(40);
          assertThat(inventory.failureRateThreshold()).isEqualTo(30.0);
          // Breakers named only in code get the default configuration, and named ones are available.
          assertThat(registry.circuitBreaker("elsewhere").config().failureRateThreshold()).isEqualTo(30.0);
          assertThat(registry.configuration("strict").orElseThrow().waitDurationInOpenState())
              .isEqualTo(Duration.ofSeconds(5));
        });
  }

  @Test
  void keepsTheCoreDefaultsWhenNothingIsSet() {
    runner.run(context -> {
      CircuitBreakerConfig c = context.getBean(CircuitBreakerRegistry.class).defaultConfig();
      CircuitBreakerConfig core = CircuitBreakerConfig.ofDefaults();
      assertThat(c.toString()).isEqualTo(core.toString());
      assertThat(context.getBean(RetryRegistry.class).defaultConfig().maxAttempts())
          .isEqualTo(RetryConfig.ofDefaults().maxAttempts());
      assertThat(context.getBean(TimeLimiterRegistry.class).defaultConfig().timeoutDuration())
          .isEqualTo(TimeLimiterConfig.ofDefaults().timeoutDuration());
      assertThat(context.getBean(CircuitBreakerRegistry.class).all()).isEmpty();
    });
  }

  @Test
  void bindsEveryRetryOptionAndSharesABudgetAmongItsHeirs() {
    runner
        .withPropertyValues(
            "fusebox.retry.configs.budgeted.retry-budget.retry-percent=10",
            "fusebox.retry.configs.budgeted.retry-budget.min-retries-per-second=3",
            "fusebox.retry.configs.budgeted.retry-budget.window=20s",
            "fusebox.retry.instances.a.base-config=budgeted",
            "fusebox.retry.instances.a.max-attempts=5",
            "fusebox.retry.instances.a.wait-duration=100ms",
            "fusebox.retry.instances.a.exponential-backoff.multiplier=3",
            "fusebox.retry.instances.a.exponential-backoff.max-wait-duration=2s",
            "fusebox.retry.instances.a.jitter=DECORRELATED",
            "fusebox.retry.instances.a.max-duration=10s",
            "fusebox.retry.instances.a.retry-exceptions=java.io.IOException",
            "fusebox.retry.instances.a.ignore-exceptions=java.io.FileNotFoundException",
            "fusebox.retry.instances.a.fail-after-max-attempts=true",
            "fusebox.retry.instances.b.base-config=budgeted")
        .run(context -> {
          RetryRegistry registry = context.getBean(RetryRegistry.class);
          RetryConfig a = registry.find("a").orElseThrow().config();
          assertThat(a.maxAttempts()).isEqualTo(5);
          assertThat(a.waitDuration()).isEqualTo(Duration.ofMillis(100));
          assertThat(a.exponentialBackoffMultiplier()).isEqualTo(3.0);
          assertThat(a.exponentialMaxWaitDuration()).isEqualTo(Duration.ofSeconds(2));
          assertThat(a.jitter()).isEqualTo(RetryConfig.Jitter.DECORRELATED);
          assertThat(a.maxDuration()).isEqualTo(Duration.ofSeconds(10));
          assertThat(a.retryExceptions()).containsExactly(IOException.class);
          assertThat(a.ignoreExceptions()).containsExactly(java.io.FileNotFoundException.class);
          assertThat(a.failAfterMaxAttempts()).isTrue();
          assertThat(a.retryBudget().orElseThrow().retryPercent()).isEqualTo(10.0);
          assertThat(a.retryBudget().orElseThrow().minRetriesPerSecond()).isEqualTo(3);
          assertThat(a.retryBudget().orElseThrow().window()).isEqualTo(Duration.ofSeconds(20));
          RetryConfig b = registry.find("b").orElseThrow().config();
          assertThat(b.retryBudget().orElseThrow()).isSameAs(a.retryBudget().orElseThrow());
        });
  }

  @Test
  void bindsTheTimeLimiterOptions() {
    runner
        .withPropertyValues(
            "fusebox.timelimiter.instances.search.timeout-duration=300ms",
            "fusebox.timelimiter.instances.search.cancel-running-future=false")
        .run(context -> {
          TimeLimiterConfig c = context.getBean(TimeLimiterRegistry.class).find("search").orElseThrow().config();
          assertThat(c.timeoutDuration()).isEqualTo(Duration.ofMillis(300));
          assertThat(c.cancelRunningFuture()).isFalse();
          // Blocking calls can be timed whatever the Java version.
          assertThat(context.getBean(TimeLimiterRegistry.class).timeLimiter("search").supportsBlockingCalls()).isTrue();
        });
  }

  @Test
  void bindsTheChaosOptionsAndInjectsNothingByDefault() {
    runner
        .withPropertyValues(
            "fusebox.chaos.instances.inventory.fault-rate=0.1",
            "fusebox.chaos.instances.inventory.latency-rate=0.2",
            "fusebox.chaos.instances.inventory.latency=2s",
            "fusebox.chaos.instances.off.enabled=false",
            "fusebox.chaos.instances.off.fault-rate=1")
        .run(context -> {
          ChaosRegistry registry = context.getBean(ChaosRegistry.class);
          ChaosSettings inventory = registry.find("inventory").orElseThrow().settings();
          assertThat(inventory.enabled()).isTrue();
          assertThat(inventory.faultRate()).isEqualTo(0.1);
          assertThat(inventory.latencyRate()).isEqualTo(0.2);
          assertThat(inventory.latency()).isEqualTo(Duration.ofSeconds(2));
          assertThat(registry.find("off").orElseThrow().settings().enabled()).isFalse();
          ChaosSettings unset = registry.chaos("unset").settings();
          assertThat(unset.faultRate()).isZero();
          assertThat(unset.latencyRate()).isZero();
        });
  }

  @Test
  void bindsTheAdaptiveBulkheadOptions() {
    runner
        .withPropertyValues(
            "fusebox.adaptive-bulkhead.configs.default.max-limit=50",
            "fusebox.adaptive-bulkhead.instances.search.initial-limit=10",
            "fusebox.adaptive-bulkhead.instances.search.min-limit=2",
            "fusebox.adaptive-bulkhead.instances.search.alpha=2.5",
            "fusebox.adaptive-bulkhead.instances.search.beta=5",
            "fusebox.adaptive-bulkhead.instances.search.backoff-ratio=0.8",
            "fusebox.adaptive-bulkhead.instances.search.sample-window-size=20",
            "fusebox.adaptive-bulkhead.instances.search.probe-interval=5m",
            "fusebox.adaptive-bulkhead.instances.search.drop-exceptions=java.io.IOException")
        .run(context -> {
          AdaptiveBulkheadConfig c =
              context.getBean(AdaptiveBulkheadRegistry.class).find("search").orElseThrow().config();
          assertThat(c.maxLimit()).as("inherited from configs.default").isEqualTo(50);
          assertThat(c.initialLimit()).isEqualTo(10);
          assertThat(c.minLimit()).isEqualTo(2);
          assertThat(c.alpha()).isEqualTo(2.5);
          assertThat(c.beta()).isEqualTo(5);
          assertThat(c.backoffRatio()).isEqualTo(0.8);
          assertThat(c.sampleWindowSize()).isEqualTo(20);
          assertThat(c.probeInterval()).isEqualTo(Duration.ofMinutes(5));
          assertThat(c.dropWhen().test(new java.net.SocketTimeoutException())).as("an IOException").isTrue();
          assertThat(c.dropWhen().test(new java.util.concurrent.TimeoutException())).isFalse();
          assertThat(context.getBean(AdaptiveBulkheadRegistry.class).bulkhead("other").config().dropWhen()
                  .test(new java.util.concurrent.TimeoutException()))
              .as("the core's default where unset")
              .isTrue();
        });
  }

  @Test
  void bindsTheBulkheadAndRateLimiterOptions() {
    runner
        .withPropertyValues(
            "fusebox.bulkhead.configs.default.max-concurrent-calls=8",
            "fusebox.bulkhead.instances.inventory.max-wait-duration=20ms",
            "fusebox.ratelimiter.instances.partner.algorithm=TOKEN_BUCKET",
            "fusebox.ratelimiter.instances.partner.limit-for-period=100",
            "fusebox.ratelimiter.instances.partner.limit-refresh-period=2s",
            "fusebox.ratelimiter.instances.partner.timeout-duration=50ms",
            "fusebox.ratelimiter.instances.partner.burst-capacity=20")
        .run(context -> {
          BulkheadConfig bulkhead = context.getBean(BulkheadRegistry.class).find("inventory").orElseThrow().config();
          assertThat(bulkhead.maxConcurrentCalls()).isEqualTo(8);
          assertThat(bulkhead.maxWaitDuration()).isEqualTo(Duration.ofMillis(20));
          RateLimiterConfig limiter = context.getBean(RateLimiterRegistry.class).find("partner").orElseThrow().config();
          assertThat(limiter.algorithm()).isEqualTo(RateLimiterConfig.Algorithm.TOKEN_BUCKET);
          assertThat(limiter.limitForPeriod()).isEqualTo(100);
          assertThat(limiter.limitRefreshPeriod()).isEqualTo(Duration.ofSeconds(2));
          assertThat(limiter.timeoutDuration()).isEqualTo(Duration.ofMillis(50));
          assertThat(limiter.burstCapacity()).isEqualTo(20);
        });
  }

  @Test
  void letsACustomizerSetWhatYamlCannot() {
    runner
        .withPropertyValues("fusebox.circuitbreaker.instances.backend.failure-rate-threshold=20")
        .withBean(CircuitBreakerCustomizer.class, () -> (name, builder) -> {
          if (name.equals("backend")) {
            builder.recordException(e -> e instanceof TimeoutException);
          }
        })
        .run(context -> {
          CircuitBreakerConfig c =
              context.getBean(CircuitBreakerRegistry.class).find("backend").orElseThrow().config();
          assertThat(c.recordException()).isPresent();
          assertThat(c.failureRateThreshold()).isEqualTo(20.0);
        });
  }
}
