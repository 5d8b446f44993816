package dev.fusebox.spring.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerProperties;
import dev.fusebox.spring.web.WebTestApplication;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Live reconfiguration end to end: a real application on a real port reads its {@code fusebox.*} settings
 * from a file, the test rewrites the file and asks {@code /actuator/refresh}, as an operator or Spring Cloud
 * Config would.
 */
@ExtendWith(OutputCaptureExtension.class)
class LiveReconfigurationTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String START = String.join("\n",
      "fusebox.circuitbreaker.configs.default.wait-duration-in-open-state=1h",
      "fusebox.circuitbreaker.instances.backend.count-based-window=10",
      "fusebox.circuitbreaker.instances.backend.minimum-number-of-calls=10",
      "fusebox.circuitbreaker.instances.backend.failure-rate-threshold=50",
      "fusebox.circuitbreaker.instances.tripped.count-based-window=4",
      "fusebox.circuitbreaker.instances.legacy.count-based-window=4",
      "fusebox.retry.instances.pricing.max-attempts=3",
      "fusebox.bulkhead.instances.reports.max-concurrent-calls=5",
      "fusebox.ratelimiter.instances.search.limit-for-period=10",
      "fusebox.timelimiter.instances.export.timeout-duration=2s",
      "");

  @TempDir
  Path dir;

  private Path file;
  private ConfigurableApplicationContext app;
  private final List<FuseboxConfigurationRefreshed> refreshes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    file = dir.resolve("fusebox.properties");
    Files.writeString(file, START);
    app = new SpringApplicationBuilder(WebTestApplication.class)
        .listeners((ApplicationListener<FuseboxConfigurationRefreshed>) refreshes::add)
        .run("--server.port=0",
            "--spring.config.import=file:" + file,
            "--management.endpoints.web.exposure.include=refresh,circuitbreakers");
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private CircuitBreakerRegistry breakers() {
    return app.getBean(CircuitBreakerRegistry.class);
  }

  private HttpResponse<String> refresh(String properties) throws IOException, InterruptedException {
    Files.writeString(file, properties);
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/refresh"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response;
  }

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.executeSupplier(() -> {
        throw new IllegalStateException("down");
      }, e -> "fallback");
    }
  }

  private FuseboxConfigurationRefreshed last() {
    assertThat(refreshes).isNotEmpty();
    return refreshes.get(refreshes.size() - 1);
  }

  @Test
  void aChangedThresholdAppliesAndTheBreakerKeepsItsOutcomesAndItsOpenState() throws Exception {
    CircuitBreaker backend = breakers().circuitBreaker("backend");
    fail(backend, 3);
    CircuitBreaker tripped = breakers().circuitBreaker("tripped");
    tripped.transitionToOpenState();

    HttpResponse<String> response = refresh(START
        .replace("backend.count-based-window=10", "backend.count-based-window=20")
        .replace("backend.failure-rate-threshold=50", "backend.failure-rate-threshold=30")
        .replace("tripped.count-based-window=4", "tripped.count-based-window=6"));

    assertThat(response.body()).contains("fusebox.circuitbreaker.instances.backend.failure-rate-threshold");
    assertThat(breakers().circuitBreaker("backend")).isSameAs(backend);
    assertThat(backend.config().failureRateThreshold()).isEqualTo(30f);
    assertThat(backend.config().windowSize()).isEqualTo(20);
    assertThat(backend.metrics().numberOfFailedCalls()).isEqualTo(3);
    assertThat(tripped.config().windowSize()).isEqualTo(6);
    assertThat(tripped.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(last().changed()).containsExactlyInAnyOrder(
        "fusebox.circuitbreaker.instances.backend", "fusebox.circuitbreaker.instances.tripped");
    assertThat(last().isRefused()).isFalse();
    CircuitBreakerProperties held = app.getBean(CircuitBreakerProperties.class);
    assertThat(held.getInstances().get("backend").getFailureRateThreshold()).isEqualTo(30f);
  }

  @Test
  void theTrafficLatencyAndDeployModeOptionsApplyLiveAndAHalfSetPercentileIsRefused() throws Exception {
    CircuitBreaker backend = breakers().circuitBreaker("backend");
    backend.startDeployMode(Duration.ofMinutes(10));
    try {
      refresh(START
          + "fusebox.circuitbreaker.instances.backend.failure-rate-confidence=0.9\n"
          + "fusebox.circuitbreaker.instances.backend.slow-call-duration-threshold=3s\n"
          + "fusebox.circuitbreaker.instances.backend.slow-call-duration-percentile=95\n"
          + "fusebox.circuitbreaker.instances.backend.slow-call-duration-multiplier=2\n"
          + "fusebox.circuitbreaker.instances.backend.slow-call-baseline-period=20s\n"
          + "fusebox.circuitbreaker.instances.backend.slow-call-baseline-minimum-calls=25\n"
          + "fusebox.circuitbreaker.instances.backend.deploy-mode-failure-threshold=3\n");

      assertThat(breakers().circuitBreaker("backend")).isSameAs(backend);
      assertThat(backend.config().failureRateConfidence()).isEqualTo(0.9);
      assertThat(backend.config().slowCallDurationPercentile()).isEqualTo(95.0);
      assertThat(backend.config().slowCallDurationMultiplier()).isEqualTo(2.0);
      assertThat(backend.config().slowCallBaselinePeriod()).isEqualTo(Duration.ofSeconds(20));
      assertThat(backend.config().slowCallBaselineMinimumCalls()).isEqualTo(25);
      assertThat(backend.config().deployModeFailureThreshold()).isEqualTo(3);
      assertThat(backend.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(3));
      assertThat(last().changed()).containsExactly("fusebox.circuitbreaker.instances.backend");
      // Deploy mode is an operator's switch, not configuration: a reconfiguration leaves it on.
      assertThat(backend.deployModeRemaining()).isPresent();

      refresh(START + "fusebox.circuitbreaker.instances.backend.slow-call-duration-percentile=95\n");

      assertThat(last().refused()).singleElement().asString().startsWith(
          "fusebox.circuitbreaker.instances.backend.slow-call-duration-percentile needs"
              + " slow-call-duration-multiplier too");
      assertThat(backend.config().slowCallDurationMultiplier()).isEqualTo(2.0);
    } finally {
      backend.endDeployMode();
    }
  }

  @Test
  void anInvalidValueRefusesTheWholeChangeAndNamesItsPath(CapturedOutput output) throws Exception {
    CircuitBreaker backend = breakers().circuitBreaker("backend");

    refresh(START
        .replace("backend.failure-rate-threshold=50", "backend.failure-rate-threshold=150")
        .replace("pricing.max-attempts=3", "pricing.max-attempts=5")
        .replace("legacy.count-based-window=4", "legacy.count-based-window=8")
        + "fusebox.bulkhead.instances.added.max-concurrent-calls=2\n");

    assertThat(backend.config().failureRateThreshold()).isEqualTo(50f);
    assertThat(breakers().circuitBreaker("legacy").config().windowSize()).isEqualTo(4);
    assertThat(app.getBean(RetryRegistry.class).retry("pricing").config().maxAttempts()).isEqualTo(3);
    assertThat(app.getBean(BulkheadRegistry.class).find("added")).isEmpty();
    assertThat(last().refused()).singleElement().asString()
        .startsWith("fusebox.circuitbreaker.instances.backend.failure-rate-threshold must be in (0, 100]");
    assertThat(last().changed()).isEmpty();
    assertThat(output).contains("Refused the change of the fusebox properties")
        .contains("fusebox.circuitbreaker.instances.backend.failure-rate-threshold");
  }

  @Test
  void anAddedInstanceAppearsAndARemovedOneKeepsWorkingAndIsReported(CapturedOutput output) throws Exception {
    CircuitBreaker legacy = breakers().circuitBreaker("legacy");
    fail(legacy, 1);

    refresh(START.replace("fusebox.circuitbreaker.instances.legacy.count-based-window=4\n", "")
        + "fusebox.circuitbreaker.instances.fresh.failure-rate-threshold=20\n");

    assertThat(breakers().find("fresh")).hasValueSatisfying(
        fresh -> assertThat(fresh.config().failureRateThreshold()).isEqualTo(20f));
    assertThat(breakers().find("legacy")).containsSame(legacy);
    assertThat(legacy.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(legacy.executeSupplier(() -> "still works", e -> "fallback")).isEqualTo("still works");
    assertThat(last().added()).containsExactly("fusebox.circuitbreaker.instances.fresh");
    assertThat(last().removed()).containsExactly("fusebox.circuitbreaker.instances.legacy");
    assertThat(output).contains("fusebox.circuitbreaker.instances.legacy");
  }

  @Test
  void retryBulkheadRateLimiterAndTimeLimiterChangesApply() throws Exception {
    refresh(START
        .replace("pricing.max-attempts=3", "pricing.max-attempts=5")
        .replace("reports.max-concurrent-calls=5", "reports.max-concurrent-calls=7")
        .replace("search.limit-for-period=10", "search.limit-for-period=25")
        .replace("export.timeout-duration=2s", "export.timeout-duration=3s"));

    assertThat(app.getBean(RetryRegistry.class).retry("pricing").config().maxAttempts()).isEqualTo(5);
    assertThat(app.getBean(BulkheadRegistry.class).bulkhead("reports").config().maxConcurrentCalls()).isEqualTo(7);
    assertThat(app.getBean(RateLimiterRegistry.class).rateLimiter("search").config().limitForPeriod()).isEqualTo(25);
    assertThat(app.getBean(TimeLimiterRegistry.class).timeLimiter("export").config().timeoutDuration())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(last().changed()).containsExactlyInAnyOrder(
        "fusebox.retry.instances.pricing", "fusebox.bulkhead.instances.reports",
        "fusebox.ratelimiter.instances.search", "fusebox.timelimiter.instances.export");
  }

  @Test
  void anInstanceThePropertiesDoNotNameFollowsTheDefaultConfiguration() throws Exception {
    CircuitBreaker adhoc = breakers().circuitBreaker("adhoc");
    fail(adhoc, 2);

    refresh(START.replace("default.wait-duration-in-open-state=1h", "default.wait-duration-in-open-state=2h"));

    assertThat(breakers().circuitBreaker("adhoc")).isSameAs(adhoc);
    assertThat(adhoc.config().waitDurationInOpenState()).isEqualTo(Duration.ofHours(2));
    assertThat(adhoc.metrics().numberOfFailedCalls()).isEqualTo(2);
    assertThat(last().changed()).contains("fusebox.circuitbreaker.instances.adhoc");
  }

  @Test
  void aChangeOfOtherPropertiesLeavesFuseboxAlone() throws Exception {
    refresh(START + "unrelated.setting=on\n");

    assertThat(refreshes).isEmpty();
  }
}
