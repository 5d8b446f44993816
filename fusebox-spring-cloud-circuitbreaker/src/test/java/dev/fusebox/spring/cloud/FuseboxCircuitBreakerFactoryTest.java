package dev.fusebox.spring.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.bulkhead.BulkheadFullException;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testsupport.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.NoFallbackAvailableException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The blocking factory in a running application, calling an upstream on a real port. */
class FuseboxCircuitBreakerFactoryTest {

  private static ConfigurableApplicationContext context;
  private static CloudTestApplication.Upstream upstream;
  private static CircuitBreakerFactory<?, ?> factory;
  private static CircuitBreakerRegistry breakers;
  private static final HttpClient http = HttpClient.newHttpClient();

  /** The application's own configuration in code, as a Spring Cloud user writes it. */
  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    // tag::customizer[]
    @Bean
    Customizer<FuseboxCircuitBreakerFactory> fuseboxCustomizer() {
      return factory -> {
        factory.configureDefault(id -> new FuseboxConfigBuilder(id)
            .circuitBreakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(7).build())
            .build());
        factory.configure(builder -> builder.circuitBreakerConfig(
            CircuitBreakerConfig.builder().consecutiveFailureThreshold(1).build()), "custom", "upstream");
      };
    }
    // end::customizer[]
  }

  /** The upstream answered with an error status: the caller's own exception. */
  static final class UpstreamFailed extends RuntimeException {
    UpstreamFailed(int status) {
      super("upstream answered " + status);
    }
  }

  @BeforeAll
  static void start() {
    context = CloudTestApplication.start(Customizers.class,
        "fusebox.circuitbreaker.instances.upstream.consecutive-failure-threshold=2",
        "fusebox.circuitbreaker.instances.upstream.wait-duration-in-open-state=1h",
        "fusebox.circuitbreaker.instances.slow.wait-duration-in-open-state=1h",
        "fusebox.timelimiter.instances.slow.timeout-duration=200ms",
        "fusebox.bulkhead.instances.narrow.max-concurrent-calls=1",
        "fusebox.bulkhead.instances.narrow.max-wait-duration=0s");
    upstream = context.getBean(CloudTestApplication.Upstream.class);
    factory = context.getBean(CircuitBreakerFactory.class);
    breakers = context.getBean(CircuitBreakerRegistry.class);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @BeforeEach
  void healthyUpstream() {
    upstream.status = 200;
  }

  private static String call(String path) {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CloudTestApplication.port(context) + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 500) {
        throw new UpstreamFailed(response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theAutoConfiguredFactoryIsFuseboxs() {
    assertThat(factory).isInstanceOf(FuseboxCircuitBreakerFactory.class);
    assertThat(factory.create("upstream")).isSameAs(factory.create("upstream"));
  }

  @Test
  void propertiesOfTheIdApplyAndTheOpenBreakerStopsCallingTheUpstream() {
    upstream.status = 503;
    int before = upstream.hits.get();
    List<Throwable> seen = new CopyOnWriteArrayList<>();
    org.springframework.cloud.client.circuitbreaker.CircuitBreaker cb = factory.create("upstream");
    for (int i = 0; i < 4; i++) {
      assertThat(cb.run(() -> call("/flaky"), e -> {
        seen.add(e);
        return "fallback";
      })).isEqualTo("fallback");
    }

    // Properties win over configure(..., "upstream"), which said one failure.
    assertThat(upstream.hits.get() - before).isEqualTo(2);
    assertThat(seen).hasSize(4);
    assertThat(seen.subList(0, 2)).allSatisfy(e ->
        assertThat(e).isInstanceOf(UpstreamFailed.class).hasMessage("upstream answered 503"));
    assertThat(seen.subList(2, 4)).allSatisfy(e -> assertThat(e).isInstanceOf(CallNotPermittedException.class));
    CircuitBreaker breaker = breakers.find("upstream").orElseThrow();
    assertThat(breaker.config().consecutiveFailureThreshold()).isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    breaker.reset();
  }

  @Test
  void theGuidesBlockingExampleAnswersOrFallsBack() {
    // tag::blocking[]
    String quote = factory.create("quotes")
        .run(() -> call("/flaky"), e -> "no quote: " + e.getClass().getSimpleName());
    // end::blocking[]
    assertThat(quote).isEqualTo("upstream 200");
    assertThat(breakers.find("quotes")).isPresent();
  }

  @Test
  void configureAndConfigureDefaultApplyToIdsWithoutProperties() {
    assertThat(factory.create("custom").run(() -> call("/flaky"))).isEqualTo("upstream 200");
    factory.create("another");
    assertThat(breakers.find("custom").orElseThrow().config().consecutiveFailureThreshold()).isEqualTo(1);
    assertThat(breakers.find("another").orElseThrow().config().consecutiveFailureThreshold()).isEqualTo(7);
  }

  @Test
  void withoutAFallbackTheFailureComesWrappedAsSpringCloudSays() {
    upstream.status = 500;
    assertThatThrownBy(() -> factory.create("no-fallback").run(() -> call("/flaky")))
        .isInstanceOf(NoFallbackAvailableException.class)
        .cause().isInstanceOf(UpstreamFailed.class);
  }

  @Test
  void aTimeLimiterOfTheIdTimesTheCallOutAndTheBreakerCountsIt() {
    CountDownLatch release = new CountDownLatch(1);
    try {
      Throwable seen = factory.create("slow").run(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }, e -> e);
      assertThat(seen).isInstanceOf(TimeoutException.class);
      assertThat(breakers.find("slow").orElseThrow().metrics().numberOfFailedCalls()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFullBulkheadGoesToTheFallbackAndIsNoFailureForTheBreaker() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    org.springframework.cloud.client.circuitbreaker.CircuitBreaker cb = factory.create("narrow");
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> cb.run(() -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "first";
    }, e -> "first failed: " + e));
    try {
      Poll.until(Duration.ofSeconds(10), "the first call to hold the bulkhead", () -> entered.getCount() == 0);
      Throwable second = cb.run(() -> null, e -> e);
      assertThat(second).isInstanceOf(BulkheadFullException.class);
    } finally {
      release.countDown();
    }
    assertThat(first.get()).isEqualTo("first");
    CircuitBreaker breaker = breakers.find("narrow").orElseThrow();
    assertThat(breaker.metrics().numberOfFailedCalls()).isZero();
    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(context.getBean(BulkheadRegistry.class).find("narrow")).isPresent();
  }
}
