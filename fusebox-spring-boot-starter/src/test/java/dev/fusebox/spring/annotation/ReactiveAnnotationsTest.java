package dev.fusebox.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The annotations on methods returning Mono and Flux act per subscription, through fusebox-reactor's operators. */
class ReactiveAnnotationsTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
          .withBean("quotes", Quotes.class)
          .withPropertyValues(
              "fusebox.circuitbreaker.instances.quotes.consecutive-failure-threshold=2",
              "fusebox.circuitbreaker.instances.quotes.wait-duration-in-open-state=1h",
              "fusebox.retry.instances.prices.max-attempts=3",
              "fusebox.retry.instances.prices.wait-duration=1ms");

  /** A reactive service: each subscription to what it returns is one call upstream. */
  static class Quotes {
    private final AtomicInteger subscriptions = new AtomicInteger();

    /** Read through the proxy: a field of the proxy is not the bean's. */
    public int subscriptions() {
      return subscriptions.get();
    }

    @CircuitBreaker(name = "quotes", fallbackMethod = "noQuote")
    public Mono<String> quote() {
      return Mono.defer(() -> {
        subscriptions.incrementAndGet();
        return Mono.error(new IllegalStateException("upstream down"));
      });
    }

    Mono<String> noQuote(Throwable e) {
      return Mono.just("fallback: " + e.getClass().getSimpleName());
    }

    @Retry(name = "prices")
    public Flux<Integer> prices() {
      return Flux.defer(() -> subscriptions.incrementAndGet() < 3
          ? Flux.error(new IllegalStateException("not yet"))
          : Flux.just(1, 2));
    }

    @CircuitBreaker(name = "ticks")
    public Flux<Integer> ticks() {
      return Flux.range(1, 3);
    }
  }

  /** A Flux method whose fallback returns a Mono: not of the matching type. */
  static class WrongFallback {
    @CircuitBreaker(name = "wrong", fallbackMethod = "other")
    public Flux<String> call() {
      return Flux.empty();
    }

    Mono<String> other(Throwable e) {
      return Mono.empty();
    }
  }

  @Test
  void eachSubscriptionIsACallAndTheOpenBreakerRejectsWithoutSubscribingUpstream() {
    runner.run(context -> {
      Quotes quotes = context.getBean(Quotes.class);
      Mono<String> quote = quotes.quote();
      CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
      // Assembling is not calling.
      assertThat(breakers.circuitBreaker("quotes").metrics().numberOfBufferedCalls()).isZero();

      StepVerifier.create(quote).expectNext("fallback: IllegalStateException").verifyComplete();
      StepVerifier.create(quote).expectNext("fallback: IllegalStateException").verifyComplete();
      StepVerifier.create(quote).expectNext("fallback: CallNotPermittedException").verifyComplete();

      assertThat(quotes.subscriptions()).isEqualTo(2);
      assertThat(breakers.circuitBreaker("quotes").metrics().numberOfFailedCalls()).isEqualTo(2);
    });
  }

  @Test
  void aRetryResubscribes() {
    runner.run(context -> {
      Quotes quotes = context.getBean(Quotes.class);
      StepVerifier.create(quotes.prices()).expectNext(1, 2).verifyComplete();
      assertThat(quotes.subscriptions()).isEqualTo(3);
    });
  }

  @Test
  void aFluxIsOneCallRecordedAtItsEnd() {
    runner.run(context -> {
      StepVerifier.create(context.getBean(Quotes.class).ticks()).expectNext(1, 2, 3).verifyComplete();
      assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("ticks").metrics().numberOfSuccessfulCalls())
          .isEqualTo(1);
    });
  }

  @Test
  void failsStartUpForAFallbackOfAnotherType() {
    runner.withBean("wrong", WrongFallback.class).run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("does not match"));
  }
}
