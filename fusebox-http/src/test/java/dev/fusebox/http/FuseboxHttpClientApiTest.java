package dev.fusebox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.lang.reflect.Method;
import java.net.CookieManager;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The builder's validation, option by option, and the parts of HttpClient that are passed through. */
class FuseboxHttpClientApiTest {

  private static void rejectsNull(String option, Consumer<FuseboxHttpClient.Builder> setter) {
    assertThatThrownBy(() -> setter.accept(FuseboxHttpClient.builder(Fixtures.JDK)))
        .as(option).isInstanceOf(NullPointerException.class).hasMessage(option + " must not be null");
  }

  @Test
  void everyOptionRejectsNullByName() {
    rejectsNull("registry", b -> b.registry(null));
    rejectsNull("circuitBreakerConfig", b -> b.circuitBreakerConfig(null));
    rejectsNull("instanceCircuitBreakerConfig", b -> b.instanceCircuitBreakerConfig(null));
    rejectsNull("serviceKey", b -> b.serviceKey(null));
    rejectsNull("instanceKey", b -> b.instanceKey(null));
    rejectsNull("classifier", b -> b.classifier(null));
    rejectsNull("maxOpenWaitFromRetryAfter", b -> b.maxOpenWaitFromRetryAfter(null));
    rejectsNull("wallClock", b -> b.wallClock(null));
    rejectsNull("retry", b -> b.retry(null));
    rejectsNull("idempotencyKeyHeader", b -> b.idempotencyKeyHeader(null));
    rejectsNull("maxRetryWaitFromRetryAfter", b -> b.maxRetryWaitFromRetryAfter(null));
    assertThatThrownBy(() -> FuseboxHttpClient.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("delegate must not be null");
  }

  @Test
  void maxOpenWaitFromRetryAfterMustBePositive() {
    assertThatThrownBy(() -> FuseboxHttpClient.builder(Fixtures.JDK).maxOpenWaitFromRetryAfter(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid FuseboxHttpClient: maxOpenWaitFromRetryAfter must be positive and at most "
            + Duration.ofNanos(Long.MAX_VALUE) + ", was PT0S");
    assertThatThrownBy(() -> FuseboxHttpClient.builder(Fixtures.JDK)
            .maxOpenWaitFromRetryAfter(Duration.ofSeconds(Long.MAX_VALUE)).build())
        .hasMessageContaining("maxOpenWaitFromRetryAfter must be positive");
  }

  @Test
  void maxRetryWaitFromRetryAfterMustNotBeNegative() {
    assertThatThrownBy(() -> FuseboxHttpClient.builder(Fixtures.JDK)
            .maxRetryWaitFromRetryAfter(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetryWaitFromRetryAfter must be zero or positive")
        .hasMessageEndingWith("was PT-1S");
    assertThat(FuseboxHttpClient.builder(Fixtures.JDK).maxRetryWaitFromRetryAfter(Duration.ZERO).build()).isNotNull();
  }

  @Test
  void idempotencyKeyHeaderMustBeAHeaderName() {
    for (String bad : new String[] {"", "Idempotency Key", "Key:", "Schlüssel"}) {
      assertThatThrownBy(() -> FuseboxHttpClient.builder(Fixtures.JDK).idempotencyKeyHeader(bad).build())
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid FuseboxHttpClient: idempotencyKeyHeader must be an HTTP header name "
              + "(letters, digits and !#$%&'*+-.^_`|~), was '" + bad + "'");
    }
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    assertThatThrownBy(() -> FuseboxHttpClient.builder(Fixtures.JDK)
            .maxOpenWaitFromRetryAfter(Duration.ZERO)
            .maxRetryWaitFromRetryAfter(Duration.ofSeconds(-1))
            .idempotencyKeyHeader("")
            .build())
        .hasMessageStartingWith("Invalid FuseboxHttpClient (3 problems): maxOpenWaitFromRetryAfter")
        .hasMessageContaining("; maxRetryWaitFromRetryAfter")
        .hasMessageContaining("; idempotencyKeyHeader");
  }

  @Test
  void theDefaultsAreAPerHostBreakerInARegistryOfItsOwnAndNoRetries() {
    FuseboxHttpClient client = FuseboxHttpClient.of(Fixtures.JDK);

    assertThat(client.registry()).isNotNull();
    assertThat(client.retry()).isEmpty();
    assertThat(client.classifier()).isSameAs(HttpOutcomeClassifier.ofDefaults());
    assertThat(client.delegate()).isSameAs(Fixtures.JDK);
    assertThat(client.circuitBreakers(HttpRequest.newBuilder(URI.create("http://a.example/x")).build()))
        .extracting(breaker -> breaker.name()).containsExactly("http:a.example");
  }

  @Test
  void aGivenRegistryHoldsTheBreakers() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    FuseboxHttpClient client = FuseboxHttpClient.builder(Fixtures.JDK).registry(registry).build();

    client.circuitBreakers(HttpRequest.newBuilder(URI.create("http://a.example/x")).build());

    assertThat(registry.find("http:a.example")).isPresent();
  }

  @Test
  void settingsAreTheWrappedClients() {
    HttpClient jdk = HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(3))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .proxy(ProxySelector.of(null))
        .version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newSingleThreadExecutor())
        .build();
    FuseboxHttpClient client = FuseboxHttpClient.of(jdk);

    assertThat(client.cookieHandler()).isEqualTo(jdk.cookieHandler());
    assertThat(client.connectTimeout()).contains(Duration.ofSeconds(3));
    assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
    assertThat(client.proxy()).isEqualTo(jdk.proxy());
    assertThat(client.sslContext()).isSameAs(jdk.sslContext());
    assertThat(client.sslParameters().getProtocols()).isEqualTo(jdk.sslParameters().getProtocols());
    assertThat(client.authenticator()).isEmpty();
    assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(client.executor()).isEqualTo(jdk.executor());
    assertThat(client.newWebSocketBuilder()).isNotNull();
    jdk.executor().ifPresent(executor -> ((java.util.concurrent.ExecutorService) executor).shutdown());
  }

  @Test
  void nullRequestsAndHandlersAreRejectedByName() {
    FuseboxHttpClient client = FuseboxHttpClient.of(Fixtures.JDK);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://a.example/x")).build();

    assertThatThrownBy(() -> client.send(null, BodyHandlers.discarding())).hasMessage("request must not be null");
    assertThatThrownBy(() -> client.send(request, null)).hasMessage("responseBodyHandler must not be null");
    assertThatThrownBy(() -> client.sendAsync(null, BodyHandlers.discarding())).hasMessage("request must not be null");
    assertThatThrownBy(() -> client.sendAsync(request, null)).hasMessage("responseBodyHandler must not be null");
  }

  @Test
  void aKeyFunctionThatThrowsFailsTheCallWithItsException() {
    IllegalStateException bug = new IllegalStateException("key bug");
    FuseboxHttpClient client = FuseboxHttpClient.builder(Fixtures.JDK).serviceKey(request -> {
      throw bug;
    }).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://a.example/x")).build();

    assertThatThrownBy(() -> client.send(request, BodyHandlers.discarding())).isSameAs(bug);
    assertThatThrownBy(() -> client.sendAsync(request, BodyHandlers.discarding()).join()).hasCause(bug);
  }

  @Test
  void theLifecycleOfJava21IsForwardedAndIsANoOpOnJava17() throws Exception {
    HttpClient jdk = HttpClient.newHttpClient();
    FuseboxHttpClient client = FuseboxHttpClient.of(jdk);
    Method jdkIsTerminated = lifecycleMethod("isTerminated");

    client.shutdown();
    boolean terminated = client.awaitTermination(Duration.ofSeconds(10));

    if (jdkIsTerminated == null) {
      assertThat(ShutdownHandles.supported()).isFalse();
      assertThat(terminated).isTrue();
      assertThat(client.isTerminated()).isFalse();
    } else {
      assertThat(ShutdownHandles.supported()).isTrue();
      assertThat(terminated).isTrue();
      assertThat(client.isTerminated()).isTrue();
      assertThat((boolean) jdkIsTerminated.invoke(jdk)).as("the wrapped client is shut down").isTrue();
    }
    client.shutdownNow();
  }

  private static Method lifecycleMethod(String name) {
    try {
      return HttpClient.class.getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
