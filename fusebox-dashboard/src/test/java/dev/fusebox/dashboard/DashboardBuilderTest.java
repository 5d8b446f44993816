package dev.fusebox.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DashboardBuilderTest {

  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();

  @Test
  void reportsEveryInvalidOptionAtOnce() {
    Dashboard.Builder builder =
        Dashboard.builder(registry)
            .port(70000)
            .token("short")
            .basePath("/a/../b")
            .samplingInterval(Duration.ofMillis(10))
            .historySize(1)
            .eventsPerBreaker(0)
            .maxStreams(0);

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid Dashboard (7 problems): ")
        .hasMessageContaining("port must be in [0, 65535], was 70000")
        .hasMessageContaining("token must be 16 to 256 of A-Z a-z 0-9 . _ ~ -, was 5 characters")
        .hasMessageContaining("basePath must be empty or /segments of A-Z a-z 0-9 . _ ~ -, was /a/../b")
        .hasMessageContaining("samplingInterval must be in [100ms, 1m], was PT0.01S")
        .hasMessageContaining("historySize must be in [2, 86400], was 1")
        .hasMessageContaining("eventsPerBreaker must be in [1, 1000], was 0")
        .hasMessageContaining("maxStreams must be in [1, 1000], was 0")
        .message().doesNotContain("short");
  }

  @Test
  void reportsOneProblemPlainly() {
    assertThatThrownBy(() -> Dashboard.builder(registry).token("has space in it 0123456").buildHandler())
        .hasMessage("Invalid Dashboard: token must be 16 to 256 of A-Z a-z 0-9 . _ ~ -, was 23 characters");
    assertThatThrownBy(() -> Dashboard.builder(registry).basePath("fusebox").buildHandler())
        .hasMessageContaining("basePath must be empty or /segments");
    assertThatThrownBy(() -> Dashboard.builder(registry).samplingInterval(Duration.ofMinutes(2)).buildHandler())
        .hasMessageContaining("samplingInterval must be in [100ms, 1m], was PT2M");
  }

  @Test
  void rejectsNullOptionsAtOnceNamingThem() {
    Dashboard.Builder builder = Dashboard.builder(registry);

    assertThatThrownBy(() -> Dashboard.builder(null)).hasMessage("registry must not be null");
    assertThatThrownBy(() -> builder.bindAddress(null)).hasMessage("bindAddress must not be null");
    assertThatThrownBy(() -> builder.token(null)).hasMessage("token must not be null");
    assertThatThrownBy(() -> builder.basePath(null)).hasMessage("basePath must not be null");
    assertThatThrownBy(() -> builder.samplingInterval(null)).hasMessage("samplingInterval must not be null");
    assertThatThrownBy(() -> builder.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> builder.eventHistory(null)).hasMessage("eventHistory must not be null");
  }

  @Test
  void aMountedHandlerGetsARandomTokenAndANormalisedBasePath() {
    try (DashboardHandler a = Dashboard.builder(registry).basePath("/").buildHandler();
        DashboardHandler b = Dashboard.builder(registry).basePath("/x/").buildHandler()) {
      assertThat(a.token()).matches("[0-9a-f]{32}").isNotEqualTo(b.token());
      assertThat(a.basePath()).isEmpty();
      assertThat(b.basePath()).isEqualTo("/x");
    }
  }

  @Test
  void theRequestCopiesItsHeadersIgnoringCase() {
    DashboardRequest request = Requests.request("GET", "/", "x-FUSEBOX-token", "abc");

    assertThat(request.header("X-Fusebox-Token")).hasValue("abc");
    assertThat(request.header("Missing")).isEmpty();
    assertThatThrownBy(() -> request.headers().put("a", java.util.List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
