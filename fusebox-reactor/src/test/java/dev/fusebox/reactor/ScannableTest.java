package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** What Reactor's tooling (assembly tracing, {@code Scannable} walks) sees of the guarded publishers. */
class ScannableTest {

  @Test
  void aGuardedPublisherKeepsItsKindAndNamesItsSource() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("quotes");
    Mono<String> source = Mono.just("quote");
    Flux<Integer> stream = Flux.range(1, 2);

    Object mono = CircuitBreakerOperator.<String>of(breaker).apply(source);
    Object flux = CircuitBreakerOperator.<Integer>of(breaker).apply(stream);

    assertThat(mono).isInstanceOf(Mono.class);
    assertThat(flux).isInstanceOf(Flux.class);
    assertThat(Scannable.from(mono).scan(Scannable.Attr.PARENT)).isSameAs(source);
    assertThat(Scannable.from(mono).scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
  }

  @Test
  void theSubscriberNamesItsUpstreamAndDownstreamAndSaysWhenItIsDone() {
    Bulkhead bulkhead = Bulkhead.ofDefaults("reports");
    List<Scannable> seen = new ArrayList<>();
    Mono<String> probe = Mono.just("report")
        .transformDeferred(BulkheadOperator.of(bulkhead))
        .doOnSubscribe(subscription -> seen.add(Scannable.from(subscription)));

    StepVerifier.create(probe).expectNext("report").verifyComplete();

    Scannable guarded = seen.get(0);
    assertThat(guarded.scan(Scannable.Attr.PARENT)).isNotNull();
    assertThat(guarded.scan(Scannable.Attr.ACTUAL)).isNotNull();
    assertThat(guarded.scan(Scannable.Attr.TERMINATED)).isTrue();
  }

  @Test
  void aMonoOfVoidFromThenIsASuccess() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("sends");

    StepVerifier.create(Mono.just("message").then().transformDeferred(CircuitBreakerOperator.of(breaker)))
        .verifyComplete();

    assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }
}
