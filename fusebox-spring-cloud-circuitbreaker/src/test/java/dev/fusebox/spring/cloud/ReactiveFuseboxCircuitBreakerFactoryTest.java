package dev.fusebox.spring.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.testsupport.Poll;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The reactive factory in a running WebFlux application, calling an upstream on a real port with WebClient. */
class ReactiveFuseboxCircuitBreakerFactoryTest {

  private static ConfigurableApplicationContext context;
  private static CloudTestApplication.Upstream upstream;
  private static ReactiveCircuitBreakerFactory<?, ?> factory;
  private static CircuitBreakerRegistry breakers;
  private static WebClient client;

  @BeforeAll
  static void start() {
    context = CloudTestApplication.start(Object.class,
        "fusebox.circuitbreaker.instances.upstream.consecutive-failure-threshold=2",
        "fusebox.circuitbreaker.instances.upstream.wait-duration-in-open-state=1h",
        "fusebox.timelimiter.instances.slow.timeout-duration=200ms");
    upstream = context.getBean(CloudTestApplication.Upstream.class);
    factory = context.getBean(ReactiveCircuitBreakerFactory.class);
    breakers = context.getBean(CircuitBreakerRegistry.class);
    client = WebClient.create("http://127.0.0.1:" + CloudTestApplication.port(context));
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static Mono<String> get(String path) {
    return client.get().uri(path).retrieve().bodyToMono(String.class);
  }

  @Test
  void theAutoConfiguredFactoryIsFuseboxs() {
    assertThat(factory).isInstanceOf(ReactiveFuseboxCircuitBreakerFactory.class);
  }

  @Test
  void theOpenBreakerRejectsAtSubscriptionAndTheUpstreamIsNoLongerCalled() {
    upstream.status = 502;
    int before = upstream.hits.get();
    List<Throwable> seen = new CopyOnWriteArrayList<>();
    ReactiveCircuitBreaker cb = factory.create("upstream");
    for (int i = 0; i < 4; i++) {
      StepVerifier.create(cb.run(get("/flaky"), e -> {
        seen.add(e);
        return Mono.just("fallback");
      })).expectNext("fallback").verifyComplete();
    }
    upstream.status = 200;

    assertThat(upstream.hits.get() - before).isEqualTo(2);
    assertThat(seen.subList(0, 2)).allSatisfy(e -> assertThat(e).isInstanceOf(WebClientResponseException.BadGateway.class));
    assertThat(seen.subList(2, 4)).allSatisfy(e -> assertThat(e).isInstanceOf(CallNotPermittedException.class));
    CircuitBreaker breaker = breakers.find("upstream").orElseThrow();
    assertThat(breaker.config().consecutiveFailureThreshold()).isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    breaker.reset();
  }

  @Test
  void theGuidesReactiveExampleAnswersOrFallsBack() {
    // tag::reactive[]
    Mono<String> quote = factory.create("quotes")
        .run(client.get().uri("/flaky").retrieve().bodyToMono(String.class), e -> Mono.just("no quote"));
    // end::reactive[]
    StepVerifier.create(quote).expectNext("upstream 200").verifyComplete();
  }

  @Test
  void aFluxIsOneCallRecordedAtItsEnd() {
    ReactiveCircuitBreaker cb = factory.create("flux");
    StepVerifier.create(cb.run(Flux.range(1, 3), e -> Flux.empty())).expectNext(1, 2, 3).verifyComplete();
    CircuitBreaker.Metrics metrics = breakers.find("flux").orElseThrow().metrics();
    assertThat(metrics.numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(metrics.numberOfFailedCalls()).isZero();
  }

  @Test
  void aCancelledCallRecordsNothing() {
    int cancelled = upstream.hangsCancelled.get();
    ReactiveCircuitBreaker cb = factory.create("cancelled");
    StepVerifier.create(cb.run(get("/hang"), e -> Mono.just("fallback")))
        .then(() -> Poll.until(Duration.ofSeconds(10), "the upstream to be asked", () -> upstream.hangs.get() > 0))
        .thenCancel()
        .verify();
    Poll.until(Duration.ofSeconds(10), "the upstream call to be cancelled", () -> upstream.hangsCancelled.get() > cancelled);
    CircuitBreaker.Metrics metrics = breakers.find("cancelled").orElseThrow().metrics();
    assertThat(metrics.numberOfSuccessfulCalls() + metrics.numberOfFailedCalls()).isZero();
  }

  @Test
  void aTimeLimiterOfTheIdCancelsTheUpstreamAndTheFallbackGetsTheTimeout() {
    int cancelled = upstream.hangsCancelled.get();
    StepVerifier.create(factory.create("slow").run(get("/hang"), e -> Mono.just(e.getClass().getSimpleName())))
        .expectNext(TimeoutException.class.getSimpleName())
        .verifyComplete();
    Poll.until(Duration.ofSeconds(10), "the timed-out call to be cancelled", () -> upstream.hangsCancelled.get() > cancelled);
    assertThat(breakers.find("slow").orElseThrow().metrics().numberOfFailedCalls()).isEqualTo(1);
  }
}
