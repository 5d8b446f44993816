package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Policy;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FuseboxObservationTest {

  /** Keeps every stopped observation's context and events, as a tracing handler would see them. */
  static final class Recorder implements ObservationHandler<Observation.Context> {
    final List<Observation.Context> stopped = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context context) {
      events.add(context.getName() + ": " + event.getName());
    }

    @Override
    public void onStop(Observation.Context context) {
      stopped.add(context);
    }

    Observation.Context named(String name) {
      return stopped.stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }
  }

  private static ObservationRegistry registryWith(ObservationHandler<?> handler) {
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(handler);
    return registry;
  }

  private static Map<String, String> high(Observation.Context context) {
    return context.getHighCardinalityKeyValues().stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static Map<String, String> low(Observation.Context context) {
    return context.getLowCardinalityKeyValues().stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static CircuitBreakerConfig opensAfterTwoFailures() {
    return CircuitBreakerConfig.builder()
        .countBasedWindow(2)
        .minimumNumberOfCalls(2)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMinutes(1))
        .build();
  }

  @Test
  void aPermittedCallLeavesTheBreakersDecisionOnTheRequestsObservation() throws Exception {
    Recorder recorder = new Recorder();
    ObservationRegistry observations = registryWith(recorder);
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(opensAfterTwoFailures());
    CircuitBreaker breaker = breakers.circuitBreaker("inventory");
    try (FuseboxObservation tracing = FuseboxObservation.builder(observations).registry(breakers).build()) {
      String answer = Observation.createNotStarted("request", observations)
          .observeChecked(() -> breaker.executeCallable(() -> "ok"));

      assertThat(answer).isEqualTo("ok");
    }
    assertThat(high(recorder.named("request")))
        .containsEntry("circuitbreaker.name", "inventory")
        .containsEntry("circuitbreaker.state", "closed")
        .containsEntry("circuitbreaker.result", "success");
  }

  @Test
  void aRejectionAndTheOpeningBeforeItAreOnTheObservationsAsKeyValuesAndEvents() {
    Recorder recorder = new Recorder();
    ObservationRegistry observations = registryWith(recorder);
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(opensAfterTwoFailures());
    CircuitBreaker breaker = breakers.circuitBreaker("inventory");
    IllegalStateException down = new IllegalStateException("down");
    try (FuseboxObservation tracing = FuseboxObservation.builder(observations).registry(breakers).build()) {
      for (int i = 0; i < 2; i++) {
        Observation request = Observation.createNotStarted("failing", observations).start();
        try (Observation.Scope scope = request.openScope()) {
          assertThatThrownBy(() -> breaker.executeCallable(() -> { throw down; })).isSameAs(down);
        } finally {
          request.stop();
        }
      }
      Observation request = Observation.createNotStarted("rejected", observations).start();
      try (Observation.Scope scope = request.openScope()) {
        assertThatThrownBy(() -> breaker.executeCallable(() -> "never"))
            .isInstanceOf(CallNotPermittedException.class);
      } finally {
        request.stop();
      }
    }
    assertThat(high(recorder.stopped.get(1)))
        .containsEntry("circuitbreaker.result", "failure")
        .containsEntry("circuitbreaker.state", "open");
    assertThat(recorder.events).contains("failing: circuitbreaker.state_transition");
    assertThat(high(recorder.named("rejected")))
        .containsEntry("circuitbreaker.result", "rejected")
        .containsEntry("circuitbreaker.state", "open");
    assertThat(recorder.events).contains("rejected: circuitbreaker.rejected");
  }

  @Test
  void retryAttemptsAreCounted() throws Exception {
    Recorder recorder = new Recorder();
    ObservationRegistry observations = registryWith(recorder);
    RetryRegistry retries = RetryRegistry.of(RetryConfig.builder()
        .maxAttempts(3)
        .waitDuration(Duration.ZERO)
        .build());
    Retry retry = retries.retry("lookup");
    int[] calls = {0};
    try (FuseboxObservation tracing = FuseboxObservation.builder(observations).registry(retries).build()) {
      String answer = Observation.createNotStarted("request", observations).observeChecked(
          () -> retry.executeCallable(() -> {
            if (++calls[0] < 3) {
              throw new IOException("flaky");
            }
            return "ok";
          }));
      assertThat(answer).isEqualTo("ok");
    }
    assertThat(high(recorder.named("request")))
        .containsEntry("retry.name", "lookup")
        .containsEntry("retry.attempt", "3")
        .containsEntry("retry.result", "success");
    assertThat(recorder.events).filteredOn(e -> e.equals("request: retry.attempt")).hasSize(2);
  }

  @Test
  void anObservedPolicyGivesEachCallAnObservationWithItsOutcomeAndTheCallersOwnException()
      throws Exception {
    Recorder recorder = new Recorder();
    ObservationRegistry observations = registryWith(recorder);
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(opensAfterTwoFailures());
    Pipeline<String> pipeline =
        Pipeline.<String>builder("checkout").circuitBreaker(breakers.circuitBreaker("payments")).build();
    IllegalStateException declined = new IllegalStateException("declined");
    try (FuseboxObservation tracing = FuseboxObservation.builder(observations).registry(breakers).build()) {
      Pipeline<String> traced = tracing.observe(pipeline);
      assertThat(traced.name()).isEqualTo("checkout");
      assertThat(traced.policies()).hasSize(2).endsWith(pipeline.policies().get(0));

      assertThat(traced.executeCallable(() -> "paid")).isEqualTo("paid");
      // One failure in two calls reaches the threshold: the breaker opens.
      assertThatThrownBy(() -> traced.executeCallable(() -> { throw declined; })).isSameAs(declined);
      assertThatThrownBy(() -> traced.executeCallable(() -> "never"))
          .isInstanceOf(CallNotPermittedException.class);
    }
    List<String> outcomes = recorder.stopped.stream()
        .filter(c -> c.getName().equals(FuseboxObservation.CALL_OBSERVATION))
        .map(c -> low(c).get("fusebox.outcome"))
        .toList();
    assertThat(outcomes).containsExactly("success", "failure", "rejected");
    Observation.Context first = recorder.stopped.get(0);
    assertThat(low(first)).containsEntry("fusebox.policy", "checkout");
    assertThat(high(first)).containsEntry("circuitbreaker.name", "payments");
    assertThat(recorder.stopped.get(1).getError()).isSameAs(declined);
  }

  @Test
  void anObservedAsynchronousCallEndsItsObservationWhenTheStageCompletes() throws Exception {
    Recorder recorder = new Recorder();
    ObservationRegistry observations = registryWith(recorder);
    CircuitBreaker breaker = CircuitBreaker.of("async", opensAfterTwoFailures());
    Policy traced = FuseboxObservation.builder(observations).build().observe(breaker);
    CompletableFuture<String> pending = new CompletableFuture<>();

    CompletionStage<String> stage = traced.executeCompletionStage(() -> pending);
    assertThat(recorder.stopped).isEmpty();
    IllegalStateException late = new IllegalStateException("late");
    pending.completeExceptionally(late);

    assertThatThrownBy(() -> stage.toCompletableFuture().get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isSameAs(late);
    assertThat(low(recorder.named(FuseboxObservation.CALL_OBSERVATION)))
        .containsEntry("fusebox.outcome", "failure");
  }

  @Test
  void aNoOpObservationRegistrySubscribesToNothing() {
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    FuseboxObservation tracing = FuseboxObservation.builder(ObservationRegistry.NOOP).registry(breakers).build();
    assertThat(tracing.subscribedRegistries()).isZero();

    FuseboxObservation live = FuseboxObservation.builder(ObservationRegistry.create()).registry(breakers).build();
    // A registry with no handler is a no-op too: nothing would ever read what was written.
    assertThat(live.subscribedRegistries()).isZero();
  }

  @Test
  void decisionsNeverBecomeTagsOfTheRequestsTimer() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ObservationRegistry observations = registryWith(new DefaultMeterObservationHandler(meters));
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    try (FuseboxObservation tracing = FuseboxObservation.builder(observations).registry(breakers).build()) {
      Observation.createNotStarted("request", observations)
          .lowCardinalityKeyValue("uri", "/orders")
          .observeChecked(() -> breakers.circuitBreaker("orders").executeCallable(() -> "ok"));
    }
    Meter timer = meters.find("request").timer();
    assertThat(timer).isNotNull();
    assertThat(timer.getId().getTags()).extracting(t -> t.getKey()).doesNotContain("circuitbreaker.name",
        "circuitbreaker.result", "circuitbreaker.state");
  }

  @Test
  void spansExportedThroughTheOpenTelemetryBridgeCarryTheDecision() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      OtelCurrentTraceContext context = new OtelCurrentTraceContext();
      OtelTracer tracer = new OtelTracer(provider.get("fusebox-test"), context, event -> { },
          new OtelBaggageManager(context, List.of(), List.of()));
      ObservationRegistry observations = registryWith(new DefaultTracingObservationHandler(tracer));
      CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(opensAfterTwoFailures());
      CircuitBreaker breaker = breakers.circuitBreaker("inventory");
      breaker.transitionToOpenState();
      try (FuseboxObservation tracing = FuseboxObservation.builder(observations).registry(breakers).build()) {
        Policy traced = tracing.observe(breaker);
        assertThatThrownBy(() -> traced.executeCallable(() -> "never"))
            .isInstanceOf(CallNotPermittedException.class);
      }
      // Read before the provider closes: shutting the exporter down empties it.
      spans = exporter.getFinishedSpanItems();
    }
    assertThat(spans).hasSize(1);
    SpanData span = spans.get(0);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("circuitbreaker.name"))).isEqualTo("inventory");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("circuitbreaker.result"))).isEqualTo("rejected");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("fusebox.outcome"))).isEqualTo("rejected");
    assertThat(span.getEvents()).extracting(EventData::getName).contains("inventory is OPEN");
  }

  @Test
  void nullsAreRefusedWithAMessage() {
    assertThatNullPointerException().isThrownBy(() -> FuseboxObservation.builder(null))
        .withMessageContaining("observations");
    FuseboxObservation.Builder builder = FuseboxObservation.builder(ObservationRegistry.NOOP);
    assertThatNullPointerException().isThrownBy(() -> builder.registry(null)).withMessageContaining("registry");
    assertThatNullPointerException().isThrownBy(() -> builder.build().observe((Policy) null))
        .withMessageContaining("policy");
    assertThatNullPointerException().isThrownBy(() -> builder.build().observe((Pipeline<?>) null))
        .withMessageContaining("pipeline");
  }
}
