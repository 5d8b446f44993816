package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.micrometer.FuseboxObservation;
import dev.fusebox.pipeline.Pipeline;
import dev.fusebox.retry.RetryRegistry;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The observability guide's tracing example, run against a live observation registry. */
class TracingExamplesTest {

  @Test
  void tracingAPipeline() throws Exception {
    List<Observation.Context> stopped = new ArrayList<>();
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    observationRegistry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(Observation.Context context) {
        stopped.add(context);
      }
    });
    CircuitBreakerRegistry circuitBreakerRegistry = CircuitBreakerRegistry.ofDefaults();
    RetryRegistry retryRegistry = RetryRegistry.ofDefaults();

    // tag::traces-bind[]
    FuseboxObservation tracing = FuseboxObservation.builder(observationRegistry)
        .registry(circuitBreakerRegistry)
        .registry(retryRegistry)
        .build();
    Pipeline<String> quotes = tracing.observe(Pipeline.<String>builder("quotes")
        .circuitBreaker(circuitBreakerRegistry.circuitBreaker("quotes"))
        .retry(retryRegistry.retry("quotes"))
        .build());
    String quote = quotes.executeCallable(() -> "42.00");
    // end::traces-bind[]

    assertThat(quote).isEqualTo("42.00");
    assertThat(stopped).singleElement().satisfies(call -> {
      assertThat(call.getName()).isEqualTo("fusebox.call");
      assertThat(call.getLowCardinalityKeyValues()).contains(
          KeyValue.of("fusebox.policy", "quotes"), KeyValue.of("fusebox.outcome", "success"));
      assertThat(call.getHighCardinalityKeyValues()).contains(
          KeyValue.of("circuitbreaker.name", "quotes"), KeyValue.of("circuitbreaker.result", "success"));
    });
    tracing.close();
  }
}
