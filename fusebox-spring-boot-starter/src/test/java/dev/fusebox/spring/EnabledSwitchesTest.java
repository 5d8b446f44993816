package dev.fusebox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.dashboard.DashboardHandler;
import dev.fusebox.micrometer.FuseboxMetrics;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.actuate.CircuitBreakersHealthContributor;
import dev.fusebox.spring.actuate.FuseboxEndpointsAutoConfiguration;
import dev.fusebox.spring.actuate.FuseboxHealthAutoConfiguration;
import dev.fusebox.spring.annotation.FuseboxAnnotationBeanPostProcessor;
import dev.fusebox.spring.bulkhead.FuseboxAdaptiveBulkheadAutoConfiguration;
import dev.fusebox.spring.bulkhead.FuseboxBulkheadAutoConfiguration;
import dev.fusebox.spring.chaos.FuseboxChaosAutoConfiguration;
import dev.fusebox.spring.circuitbreaker.FuseboxCircuitBreakerAutoConfiguration;
import dev.fusebox.spring.dashboard.FuseboxDashboardAutoConfiguration;
import dev.fusebox.spring.metrics.FuseboxMetricsAutoConfiguration;
import dev.fusebox.spring.ratelimiter.FuseboxRateLimiterAutoConfiguration;
import dev.fusebox.spring.redis.FuseboxRedisAutoConfiguration;
import dev.fusebox.spring.restclient.FuseboxRestClientAutoConfiguration;
import dev.fusebox.spring.retry.FuseboxRetryAutoConfiguration;
import dev.fusebox.spring.throttle.FuseboxAdaptiveThrottleAutoConfiguration;
import dev.fusebox.spring.timelimiter.FuseboxTimeLimiterAutoConfiguration;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Every policy has its switch, {@code fusebox.<policy>.enabled}, which leaves out its registry and nothing
 * else; {@code fusebox.enabled=false} leaves out the whole starter. Run over every auto-configuration the
 * starter registers, as an application gets them.
 */
class EnabledSwitchesTest {

  /** The policies' switches and the registry each one governs. */
  private static final Map<String, Class<?>> REGISTRIES = Map.of(
      "fusebox.circuitbreaker.enabled", CircuitBreakerRegistry.class,
      "fusebox.retry.enabled", RetryRegistry.class,
      "fusebox.timelimiter.enabled", TimeLimiterRegistry.class,
      "fusebox.bulkhead.enabled", BulkheadRegistry.class,
      "fusebox.adaptive-bulkhead.enabled", AdaptiveBulkheadRegistry.class,
      "fusebox.ratelimiter.enabled", RateLimiterRegistry.class,
      "fusebox.chaos.enabled", ChaosRegistry.class,
      "fusebox.adaptive-throttle.enabled", AdaptiveThrottleRegistry.class);

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          FuseboxRedisAutoConfiguration.class,
          FuseboxCircuitBreakerAutoConfiguration.class,
          FuseboxRetryAutoConfiguration.class,
          FuseboxTimeLimiterAutoConfiguration.class,
          FuseboxBulkheadAutoConfiguration.class,
          FuseboxAdaptiveBulkheadAutoConfiguration.class,
          FuseboxRateLimiterAutoConfiguration.class,
          FuseboxChaosAutoConfiguration.class,
          FuseboxAdaptiveThrottleAutoConfiguration.class,
          FuseboxAutoConfiguration.class,
          FuseboxHealthAutoConfiguration.class,
          FuseboxEndpointsAutoConfiguration.class,
          FuseboxMetricsAutoConfiguration.class,
          FuseboxDashboardAutoConfiguration.class,
          FuseboxRestClientAutoConfiguration.class));

  @Test
  void everyPolicyIsOnByDefault() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      REGISTRIES.values().forEach(type -> assertThat(context).hasSingleBean(type));
      assertThat(context).hasSingleBean(FuseboxAnnotationBeanPostProcessor.class);
    });
  }

  static Stream<Arguments> switches() {
    return REGISTRIES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}=false")
  @MethodSource("switches")
  void aPolicySwitchedOffHasNoRegistryAndTheOthersKeepTheirs(String property, Class<?> registry) {
    runner.withPropertyValues(property + "=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(registry);
      REGISTRIES.values().stream().filter(type -> type != registry)
          .forEach(type -> assertThat(context).as(type.getSimpleName()).hasSingleBean(type));
      assertThat(context).hasSingleBean(FuseboxAnnotationBeanPostProcessor.class);
    });
  }

  @Test
  void aPolicySwitchedOnExplicitlyBindsAsTheDefaultDoes() {
    // ignoreUnknownFields=false: the switch must be a known key of its own properties.
    runner.withPropertyValues(REGISTRIES.keySet().stream().map(p -> p + "=true").toArray(String[]::new))
        .run(context -> REGISTRIES.values().forEach(type -> assertThat(context).hasSingleBean(type)));
  }

  @Test
  void theBreakersSwitchedOffTakeTheirEventHistoryMetricsHealthAndDashboardWithThem() {
    runner.withPropertyValues("fusebox.circuitbreaker.enabled=false").run(context -> {
      assertThat(context)
          .hasNotFailed()
          .doesNotHaveBean(EventHistory.class)
          .doesNotHaveBean(CircuitBreakersHealthContributor.class)
          .doesNotHaveBean(DashboardHandler.class);
      // The binder stays for the other policies, without a breaker registry.
      assertThat(context.getBean(FuseboxMetrics.class).registries())
          .noneMatch(r -> r.kind().id().equals("circuitbreaker"));
    });
  }

  @Test
  void theWholeStarterSwitchedOffLeavesNothing() {
    runner.withPropertyValues("fusebox.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      REGISTRIES.values().forEach(type -> assertThat(context).doesNotHaveBean(type));
      assertThat(context)
          .doesNotHaveBean(FuseboxAnnotationBeanPostProcessor.class)
          .doesNotHaveBean(EventHistory.class)
          .doesNotHaveBean(FuseboxMetrics.class)
          .doesNotHaveBean(CircuitBreakersHealthContributor.class)
          .doesNotHaveBean(DashboardHandler.class);
      assertThat(context.getBeanNamesForType(Object.class))
          .as("no bean of the starter's own")
          .noneMatch(name -> context.getType(name) != null && context.getType(name).getName().startsWith("dev.fusebox."));
    });
  }

  /** A bean that asks for a retry. */
  static class Retried {
    @dev.fusebox.spring.annotation.Retry(name = "inventory")
    public String call() {
      return "ok";
    }
  }

  @Test
  void aMethodAnnotatedForAPolicySwitchedOffStopsTheStartNamingTheMissingRegistry() {
    runner.withPropertyValues("fusebox.retry.enabled=false").withBean(Retried.class)
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining(RetryRegistry.class.getName()));
  }

  @Test
  void theSwitchesAreDocumentedForIdes() throws IOException {
    String metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> switches = Stream.concat(Stream.of("fusebox.enabled"), REGISTRIES.keySet().stream()).toList();
    switches.forEach(name -> assertThat(metadata).contains("\"name\": \"" + name + "\""));
  }
}
