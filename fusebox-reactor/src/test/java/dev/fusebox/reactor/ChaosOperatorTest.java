package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.chaos.InjectedFaultException;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class ChaosOperatorTest {

  private final ManualScheduler time = new ManualScheduler(new ManualTicker());
  private final Chaos chaos = Chaos.of("inventory", ChaosConfig.builder()
      .scheduler(time)
      .sleeper(nanos -> {
        throw new AssertionError("the operator never sleeps");
      })
      .build());

  @Test
  void withNothingInjectedTheSourceRunsUntouched() {
    StepVerifier.create(Flux.just(1, 2).transformDeferred(ChaosOperator.of(chaos)))
        .expectNext(1, 2)
        .verifyComplete();

    assertThat(chaos.metrics().numberOfCalls()).isEqualTo(1);
  }

  @Test
  void aFaultFailsTheSubscriptionWithoutSubscribingUpstream() {
    chaos.update(s -> s.withFaultRate(1));
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("stock"));

    StepVerifier.create(upstream.mono().transformDeferred(ChaosOperator.of(chaos)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InjectedFaultException.class))
        .verify();

    upstream.assertWasNotSubscribed();
    assertThat(chaos.metrics().numberOfInjectedFaults()).isEqualTo(1);
  }

  @Test
  void eachSubscriptionIsOneCall() {
    chaos.update(s -> s.withFaultRate(1));
    AtomicInteger subscriptions = new AtomicInteger();
    Flux<Integer> guarded = Flux.just(1).doOnSubscribe(s -> subscriptions.incrementAndGet())
        .transformDeferred(ChaosOperator.of(chaos));

    StepVerifier.create(guarded).expectError(InjectedFaultException.class).verify();
    chaos.disable();
    StepVerifier.create(guarded).expectNext(1).verifyComplete();

    assertThat(subscriptions).hasValue(1);
    assertThat(chaos.metrics().numberOfCalls()).isEqualTo(2);
  }

  @Test
  void anInjectedResultAnswersInsteadOfTheSource() {
    chaos.update(s -> s.withResult(1, () -> "cached"));
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("stock"));

    StepVerifier.create(upstream.mono().transformDeferred(ChaosOperator.of(chaos)))
        .expectNext("cached")
        .verifyComplete();
    StepVerifier.create(upstream.flux().transformDeferred(ChaosOperator.of(chaos)))
        .expectNext("cached")
        .verifyComplete();

    upstream.assertWasNotSubscribed();
    assertThat(chaos.metrics().numberOfInjectedResults()).isEqualTo(2);
  }

  @Test
  void latencyDelaysTheSubscriptionWithoutBlocking() {
    chaos.update(s -> s.withLatency(1, Duration.ofSeconds(2)));
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("stock"));

    StepVerifier.create(upstream.mono().transformDeferred(ChaosOperator.of(chaos)))
        .expectSubscription()
        .then(() -> {
          upstream.assertWasNotSubscribed();
          time.advance(Duration.ofMillis(1999));
          upstream.assertWasNotSubscribed();
          time.advance(Duration.ofMillis(1));
        })
        .expectNext("stock")
        .verifyComplete();

    upstream.assertWasSubscribed();
    assertThat(chaos.metrics().numberOfInjectedLatencies()).isEqualTo(1);
  }

  @Test
  void aFaultAfterLatencyFailsTheFluxWithoutSubscribingUpstream() {
    chaos.update(s -> s.withLatency(1, Duration.ofSeconds(2)).withFaultRate(1));
    PublisherProbe<String> upstream = PublisherProbe.of(Flux.just("a", "b"));

    StepVerifier.create(upstream.flux().transformDeferred(ChaosOperator.of(chaos)))
        .expectSubscription()
        .then(() -> time.advance(Duration.ofSeconds(2)))
        .expectError(InjectedFaultException.class)
        .verify();

    upstream.assertWasNotSubscribed();
  }

  @Test
  void cancellingDuringLatencyMeansTheSourceIsNeverSubscribedTo() {
    chaos.update(s -> s.withLatency(1, Duration.ofSeconds(2)));
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("stock"));

    Disposable subscription = upstream.mono().transformDeferred(ChaosOperator.of(chaos)).subscribe();
    subscription.dispose();
    time.advance(Duration.ofSeconds(5));

    upstream.assertWasNotSubscribed();
    assertThat(time.pending()).isZero();
  }
}
