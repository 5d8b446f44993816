package dev.fusebox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An invalid property stops the application, naming the property path where the value was written. */
class StartupFailureTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class));

  private static AbstractThrowableAssert<?, ? extends Throwable> failure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    return assertThat(context.getStartupFailure()).rootCause();
  }

  @Test
  void namesThePropertyPathOfAnOutOfRangeValue() {
    runner.withPropertyValues("fusebox.circuitbreaker.instances.backend.failure-rate-threshold=120")
        .run(context -> failure(context)
            .isInstanceOf(FuseboxConfigurationException.class)
            .hasMessage("Invalid Fusebox configuration: "
                + "fusebox.circuitbreaker.instances.backend.failure-rate-threshold must be in (0, 100], was 120.0"));
  }

  @Test
  void namesTheBaseConfigWhereAnInheritedValueWasWritten() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.configs.shared.permitted-number-of-calls-in-half-open-state=0",
            "fusebox.circuitbreaker.instances.backend.base-config=shared")
        .run(context -> failure(context).hasMessageContaining(
            "fusebox.circuitbreaker.configs.shared.permitted-number-of-calls-in-half-open-state must be at least 1,"
                + " was 0"));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.instances.a.failure-rate-threshold=0",
            "fusebox.circuitbreaker.instances.a.open-state-jitter=1.5",
            "fusebox.circuitbreaker.instances.b.wait-duration-in-open-state=30s",
            "fusebox.circuitbreaker.instances.b.open-state-backoff.multiplier=0.5",
            "fusebox.circuitbreaker.instances.b.open-state-backoff.max=10s")
        .run(context -> {
          FuseboxConfigurationException e = (FuseboxConfigurationException) rootCause(context.getStartupFailure());
          assertThat(e.problems()).containsExactly(
              "fusebox.circuitbreaker.instances.a.failure-rate-threshold must be in (0, 100], was 0.0",
              "fusebox.circuitbreaker.instances.a.open-state-jitter must be in [0, 1), was 1.5",
              "fusebox.circuitbreaker.instances.b.open-state-backoff.multiplier must be a finite number of at least 1,"
                  + " was 0.5",
              "fusebox.circuitbreaker.instances.b.open-state-backoff.max must be at least waitDurationInOpenState"
                  + " PT30S, was PT10S");
        });
  }

  @Test
  void namesResilience4jWindowPropertiesByTheirOwnName() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.instances.backend.sliding-window-size=0")
        .run(context -> failure(context).hasMessageContaining(
            "fusebox.circuitbreaker.instances.backend.sliding-window-size must be at least 1, was 0"));
  }

  @Test
  void refusesAPercentileWithoutItsMultiplierAndAMultiplierWrittenAloneOnAnInstance() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.instances.a.slow-call-duration-percentile=99",
            // A configuration's multiplier alone is a default for heirs that set the percentile: not a problem,
            // neither there nor in an heir that sets none.
            "fusebox.circuitbreaker.configs.shared.slow-call-duration-multiplier=3",
            "fusebox.circuitbreaker.instances.b.base-config=shared",
            "fusebox.circuitbreaker.instances.c.slow-call-duration-multiplier=3")
        .run(context -> {
          FuseboxConfigurationException e = (FuseboxConfigurationException) rootCause(context.getStartupFailure());
          assertThat(e.problems()).containsExactly(
              "fusebox.circuitbreaker.instances.a.slow-call-duration-percentile needs slow-call-duration-multiplier"
                  + " too: a call is slow over multiplier times the percentile (3 for 3 x p99, say)",
              "fusebox.circuitbreaker.instances.c.slow-call-duration-multiplier needs slow-call-duration-percentile"
                  + " too: a call is slow over multiplier times the percentile (99 for 3 x p99, say)");
        });
  }

  @Test
  void namesEachNewOptionByItsOwnPathWhenOutOfRange() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.configs.default.slow-call-duration-multiplier=0.5",
            "fusebox.circuitbreaker.instances.backend.slow-call-duration-percentile=100",
            "fusebox.circuitbreaker.instances.backend.failure-rate-confidence=1.5",
            "fusebox.circuitbreaker.instances.backend.slow-call-baseline-period=0s",
            "fusebox.circuitbreaker.instances.backend.slow-call-baseline-minimum-calls=0",
            "fusebox.circuitbreaker.instances.backend.deploy-mode-failure-threshold=0")
        .run(context -> {
          FuseboxConfigurationException e = (FuseboxConfigurationException) rootCause(context.getStartupFailure());
          assertThat(e.problems()).containsExactlyInAnyOrder(
              "fusebox.circuitbreaker.instances.backend.failure-rate-confidence must be in (0, 1), was 1.5",
              "fusebox.circuitbreaker.instances.backend.slow-call-duration-percentile must be in (0, 100), was 100.0",
              "fusebox.circuitbreaker.configs.default.slow-call-duration-multiplier must be a finite number of at"
                  + " least 1, was 0.5",
              "fusebox.circuitbreaker.instances.backend.slow-call-baseline-period must be positive, was PT0S",
              "fusebox.circuitbreaker.instances.backend.slow-call-baseline-minimum-calls must be at least 1, was 0",
              "fusebox.circuitbreaker.instances.backend.deploy-mode-failure-threshold must be at least 1, was 0");
        });
  }

  @Test
  void refusesTwoWindows() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.instances.backend.count-based-window=10",
            "fusebox.circuitbreaker.instances.backend.time-based-window=10s")
        .run(context -> failure(context).hasMessageContaining(
            "fusebox.circuitbreaker.instances.backend sets more than one window"));
  }

  @Test
  void refusesAnUnknownBaseConfig() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.configs.shared.failure-rate-threshold=10",
            "fusebox.circuitbreaker.instances.backend.base-config=sahred")
        .run(context -> failure(context).hasMessageContaining(
            "fusebox.circuitbreaker.instances.backend.base-config names no configuration under"
                + " fusebox.circuitbreaker.configs, was 'sahred'; known: shared"));
  }

  @Test
  void refusesACycleOfBaseConfigs() {
    runner.withPropertyValues(
            "fusebox.retry.configs.a.base-config=b",
            "fusebox.retry.configs.b.base-config=a")
        .run(context -> failure(context).hasMessageContaining("base-config makes a cycle: a -> b -> a"));
  }

  @Test
  void refusesAMisspeltOption() {
    runner.withPropertyValues("fusebox.circuitbreaker.instances.backend.failure-rate-treshold=10")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure())
              .hasStackTraceContaining("fusebox.circuitbreaker.instances.backend.failure-rate-treshold");
        });
  }

  @Test
  void tellsAResilience4jUserWhatTheirRemainingKeysBecame() {
    runner.withPropertyValues(
            "fusebox.circuitbreaker.instances.backend.eventConsumerBufferSize=10",
            "fusebox.circuitbreaker.instances.backend.writableStackTraceEnabled=false",
            "fusebox.circuitbreaker.instances.backend.failure-rate-treshold=10")
        .run(context -> {
          Throwable failure = context.getStartupFailure();
          while (failure != null
              && !(failure instanceof org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException)) {
            failure = failure.getCause();
          }
          FailureAnalysis analysis = new Resilience4jKeysFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription())
              .contains("fusebox.circuitbreaker.instances.backend.eventconsumerbuffersize: one history serves every"
                  + " breaker: set fusebox.circuitbreaker.event-history-capacity")
              .contains("fusebox.circuitbreaker.instances.backend.writablestacktraceenabled: remove it")
              .contains("fusebox.circuitbreaker.instances.backend.failure-rate-treshold: no such option; check its"
                  + " spelling");
          assertThat(failure).isNotNull();
        });
  }

  @Test
  void mapsRetryAndTimeLimiterViolationsToo() {
    runner.withPropertyValues(
            "fusebox.retry.instances.r.max-attempts=0",
            "fusebox.retry.instances.r.jitter=DECORRELATED",
            "fusebox.retry.instances.r.retry-budget.retry-percent=-1",
            "fusebox.timelimiter.configs.default.timeout-duration=0s")
        .run(context -> {
          FuseboxConfigurationException e = (FuseboxConfigurationException) rootCause(context.getStartupFailure());
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(
                  "fusebox.retry.instances.r.retry-budget.retry-percent "))
              .contains("fusebox.retry.instances.r.max-attempts must be at least 1, was 0")
              .anySatisfy(p -> assertThat(p).startsWith("fusebox.retry.instances.r.jitter DECORRELATED needs"));
        });
    runner.withPropertyValues("fusebox.timelimiter.configs.default.timeout-duration=0s")
        .run(context -> failure(context).hasMessageContaining(
            "fusebox.timelimiter.configs.default.timeout-duration must be positive, was PT0S"));
  }

  @Test
  void mapsChaosViolations() {
    runner.withPropertyValues("fusebox.chaos.instances.inventory.fault-rate=1.5")
        .run(context -> failure(context).hasMessageContaining("fusebox.chaos.instances.inventory.fault-rate "));
  }

  @Test
  void mapsAdaptiveBulkheadViolations() {
    runner.withPropertyValues(
            "fusebox.adaptive-bulkhead.instances.search.min-limit=0",
            "fusebox.adaptive-bulkhead.instances.search.backoff-ratio=1.5")
        .run(context -> failure(context)
            .hasMessageContaining("fusebox.adaptive-bulkhead.instances.search.min-limit must be at least 1, was 0")
            .hasMessageContaining("fusebox.adaptive-bulkhead.instances.search.backoff-ratio "));
  }

  @Test
  void mapsBulkheadAndRateLimiterViolations() {
    runner.withPropertyValues(
            "fusebox.bulkhead.instances.b.max-concurrent-calls=0",
            "fusebox.ratelimiter.configs.default.limit-for-period=0",
            "fusebox.ratelimiter.instances.r.burst-capacity=5")
        .run(context -> failure(context)
            .hasMessageContaining("fusebox.bulkhead.instances.b.max-concurrent-calls must be at least 1, was 0"));
    runner.withPropertyValues(
            "fusebox.ratelimiter.configs.default.limit-for-period=0",
            "fusebox.ratelimiter.instances.r.burst-capacity=5")
        .run(context -> failure(context)
            .hasMessageContaining("fusebox.ratelimiter.configs.default.limit-for-period must be at least 1, was 0")
            .hasMessageContaining("fusebox.ratelimiter.instances.r.burst-capacity "));
  }

  @Test
  void theFailureAnalyzerListsEveryProblemOnItsOwnLine() {
    FuseboxConfigurationException e = new FuseboxConfigurationException(java.util.List.of(
        "fusebox.circuitbreaker.instances.a.failure-rate-threshold must be in (0, 100], was 0.0",
        "fusebox.circuitbreaker.instances.b.open-state-jitter must be in [0, 1), was 1.5"));
    FailureAnalysis analysis = new FuseboxFailureAnalyzer().analyze(new BeanCreationException("registry", e));
    assertThat(analysis.getDescription()).isEqualTo("""
        Fusebox's configuration is invalid:

            - fusebox.circuitbreaker.instances.a.failure-rate-threshold must be in (0, 100], was 0.0
            - fusebox.circuitbreaker.instances.b.open-state-jitter must be in [0, 1), was 1.5""");
    assertThat(analysis.getAction()).contains("Correct the properties named above");
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
