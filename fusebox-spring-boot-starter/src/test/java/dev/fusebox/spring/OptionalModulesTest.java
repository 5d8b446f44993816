package dev.fusebox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.dashboard.DashboardHandler;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import dev.fusebox.micrometer.FuseboxObservation;
import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.spring.actuate.CircuitBreakerEventsEndpoint;
import dev.fusebox.spring.actuate.CircuitBreakersEndpoint;
import dev.fusebox.spring.actuate.CircuitBreakersHealthContributor;
import dev.fusebox.spring.actuate.FuseboxEndpointsAutoConfiguration;
import dev.fusebox.spring.actuate.FuseboxHealthAutoConfiguration;
import dev.fusebox.spring.dashboard.FuseboxDashboardAutoConfiguration;
import dev.fusebox.spring.metrics.FuseboxMetricsAutoConfiguration;
import dev.fusebox.spring.redis.FuseboxRedisAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** Each optional integration is there exactly when its module is on the class path and it is not switched off. */
class OptionalModulesTest {

  private static final AutoConfigurations ALL = AutoConfigurations.of(
      FuseboxRedisAutoConfiguration.class,
      FuseboxAutoConfiguration.class,
      FuseboxHealthAutoConfiguration.class,
      FuseboxEndpointsAutoConfiguration.class,
      FuseboxMetricsAutoConfiguration.class,
      FuseboxDashboardAutoConfiguration.class);

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ALL);

  @Test
  void bindsTheBreakersToMicrometerWhenMicrometerIsThere() {
    runner.withPropertyValues("fusebox.circuitbreaker.instances.inventory.count-based-window=5").run(context -> {
      assertThat(context).hasSingleBean(FuseboxMetrics.class).getBean(FuseboxMetrics.class).isInstanceOf(MeterBinder.class);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      context.getBean(FuseboxMetrics.class).bindTo(meters);
      assertThat(meters.find(FuseboxMetrics.STATE).tag("name", "inventory").gauges()).hasSize(6);
      // The other policies too, from the starter's registries, including an adaptive bulkhead of the properties.
      context.getBean(AdaptiveBulkheadRegistry.class).bulkhead("search");
      assertThat(meters.find("fusebox.bulkhead.adaptive.limit").tag("name", "search").gauge()).isNotNull();
    });
  }

  @Test
  void theOtherPoliciesKeepTheirMetersWhenTheRetriesOrTheBreakersAreSwitchedOff() {
    runner.withPropertyValues("fusebox.retry.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(FuseboxMetrics.class);
      assertThat(context.getBean(FuseboxMetrics.class).registries())
          .contains(context.getBean(CircuitBreakerRegistry.class), context.getBean(BulkheadRegistry.class))
          .noneMatch(r -> r.kind().id().equals("retry"));
    });
    runner.withPropertyValues("fusebox.circuitbreaker.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(FuseboxMetrics.class);
      assertThat(context.getBean(FuseboxMetrics.class).registries())
          .contains(context.getBean(RetryRegistry.class))
          .noneMatch(r -> r.kind().id().equals("circuitbreaker"));
    });
  }

  @Test
  void writesDecisionsOntoTheApplicationsObservationsWhenItHasAnObservationRegistry() {
    runner.withBean(ObservationRegistry.class, () -> {
      ObservationRegistry observations = ObservationRegistry.create();
      observations.observationConfig().observationHandler(context -> true);
      return observations;
    }).run(context -> {
      assertThat(context).hasSingleBean(FuseboxObservation.class);
      ObservationRegistry observations = context.getBean(ObservationRegistry.class);
      Observation request = Observation.start("request", observations);
      try (Observation.Scope scope = request.openScope()) {
        context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inventory").executeSupplier(() -> "ok");
      } finally {
        request.stop();
      }
      assertThat(request.getContext().getHighCardinalityKeyValue("circuitbreaker.result").getValue())
          .isEqualTo("success");
    });
    runner.run(context -> assertThat(context).doesNotHaveBean(FuseboxObservation.class));
    runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
        .withPropertyValues("fusebox.observation.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FuseboxObservation.class));
  }

  @Test
  void leavesMicrometerOutWhenItIsMissingOrSwitchedOff() {
    runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FuseboxMetrics.class));
    runner.withClassLoader(new FilteredClassLoader(FuseboxMetrics.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FuseboxMetrics.class));
    runner.withPropertyValues("fusebox.metrics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FuseboxMetrics.class));
  }

  @Test
  void startsWithoutTheActuatorOrAnyOptionalModule() {
    runner.withClassLoader(new FilteredClassLoader(
            "org.springframework.boot.actuate", "org.springframework.boot.health", "io.micrometer",
            "dev.fusebox.micrometer", "dev.fusebox.redis", "dev.fusebox.dashboard"))
        .withPropertyValues("fusebox.redis.uri=redis://127.0.0.1:1")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(CircuitBreakerRegistry.class);
          assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class)
              .doesNotHaveBean(CircuitBreakersHealthContributor.class)
              .doesNotHaveBean(RedisSharedState.class);
        });
  }

  @Test
  void theHealthContributorCanBeSwitchedOff() {
    runner.run(context -> assertThat(context).hasSingleBean(CircuitBreakersHealthContributor.class));
    runner.withPropertyValues("management.health.circuitbreakers.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthContributor.class));
  }

  @Test
  void theEndpointsExistOnlyWhenExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class));
    runner.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers,circuitbreakerevents")
        .run(context -> assertThat(context)
            .hasSingleBean(CircuitBreakersEndpoint.class)
            .hasSingleBean(CircuitBreakerEventsEndpoint.class));
  }

  @Test
  void mountsTheDashboardOnlyInAServletApplicationUnlessSwitchedOff() {
    WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(ALL);
    web.run(context -> {
      assertThat(context).hasSingleBean(DashboardHandler.class).hasSingleBean(ServletRegistrationBean.class);
      assertThat(context.getBean(DashboardHandler.class).basePath()).isEqualTo("/fusebox");
      assertThat(context.getBean(ServletRegistrationBean.class).getUrlMappings())
          .containsExactly("/fusebox", "/fusebox/*");
    });
    web.withPropertyValues("fusebox.dashboard.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(DashboardHandler.class));
    web.withClassLoader(new FilteredClassLoader(DashboardHandler.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ServletRegistrationBean.class));
    runner.run(context -> assertThat(context).doesNotHaveBean(DashboardHandler.class));
  }

  @Test
  void namesTheDashboardPropertyOfAnInvalidValue() {
    new WebApplicationContextRunner().withConfiguration(ALL)
        .withPropertyValues("fusebox.dashboard.path=/no spaces", "fusebox.dashboard.token=short")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("fusebox.dashboard.path must be empty or /segments of")
            .hasMessageContaining("fusebox.dashboard.token must be 16 to 256 of"));
  }
}
