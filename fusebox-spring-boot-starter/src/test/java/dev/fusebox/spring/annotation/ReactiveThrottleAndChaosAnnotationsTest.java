package dev.fusebox.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.chaos.InjectedFaultException;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.spring.chaos.ChaosCustomizer;
import dev.fusebox.spring.throttle.AdaptiveThrottleCustomizer;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import dev.fusebox.throttle.CallThrottledException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code @AdaptiveThrottle} and {@code @Chaos} on methods returning Mono and Flux act per subscription,
 * through fusebox-reactor's operators, in the pipeline's order: chaos innermost, the throttle inside the
 * breaker.
 */
class ReactiveThrottleAndChaosAnnotationsTest {

  /** The throttle draws 0 every time: a call is shed as soon as the rejection probability is above 0. */
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
          .withUserConfiguration(Beans.class)
          .withPropertyValues(
              "fusebox.adaptive-throttle.configs.default.k=2",
              "fusebox.adaptive-throttle.configs.default.minimum-number-of-requests=1",
              "fusebox.chaos.instances.faulty.fault-rate=1",
              "fusebox.chaos.instances.slow.latency-rate=1",
              "fusebox.chaos.instances.slow.latency=2s",
              "fusebox.circuitbreaker.instances.chaotic.consecutive-failure-threshold=10");

  /** A reactive service: each subscription to what it returns is one call upstream. */
  static class Search {
    private final AtomicInteger subscriptions = new AtomicInteger();

    /** Read through the proxy: a field of the proxy is not the bean's. */
    public int subscriptions() {
      return subscriptions.get();
    }

    @AdaptiveThrottle(name = "search")
    public Mono<String> search(String terms) {
      return Mono.defer(() -> {
        subscriptions.incrementAndGet();
        return terms.equals("fail") ? Mono.error(new IllegalStateException("overloaded")) : Mono.just("hits " + terms);
      });
    }

    @AdaptiveThrottle(name = "shed", fallbackMethod = "cached")
    public Flux<String> stream(String terms) {
      return Flux.defer(() -> {
        subscriptions.incrementAndGet();
        return Flux.error(new IllegalStateException("overloaded"));
      });
    }

    Flux<String> cached(String terms, CallThrottledException e) {
      return Flux.just("cached " + terms);
    }

    Flux<String> cached(String terms, IllegalStateException e) {
      return Flux.just("refused " + terms);
    }

    @Chaos(name = "faulty")
    @CircuitBreaker(name = "chaotic", fallbackMethod = "injected")
    public Mono<String> faulty() {
      return Mono.fromCallable(() -> {
        subscriptions.incrementAndGet();
        return "real";
      });
    }

    Mono<String> injected(InjectedFaultException e) {
      return Mono.just("injected");
    }

    @Chaos(name = "slow")
    public Flux<Integer> slow() {
      return Flux.defer(() -> {
        subscriptions.incrementAndGet();
        return Flux.just(1, 2);
      });
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    Search search() {
      return new Search();
    }

    @Bean
    ManualScheduler chaosTime() {
      return new ManualScheduler(new ManualTicker());
    }

    @Bean
    AdaptiveThrottleCustomizer alwaysDrawZero() {
      return (name, builder) -> builder.random(() -> 0L);
    }

    @Bean
    ChaosCustomizer onManualTime(ManualScheduler chaosTime) {
      return (name, builder) -> builder.scheduler(chaosTime);
    }
  }

  @Test
  void theThrottleRecordsEachSubscriptionAndShedsWithoutSubscribingUpstream() {
    runner.run(context -> {
      Search search = context.getBean(Search.class);
      Mono<String> ok = search.search("a");
      Mono<String> failing = search.search("fail");
      AdaptiveThrottleRegistry throttles = context.getBean(AdaptiveThrottleRegistry.class);
      assertThat(throttles.adaptiveThrottle("search").metrics().totalRequests()).as("assembling is not calling").isZero();

      StepVerifier.create(ok).expectNext("hits a").verifyComplete();
      StepVerifier.create(ok).expectNext("hits a").verifyComplete();
      StepVerifier.create(failing).expectError(IllegalStateException.class).verify();
      StepVerifier.create(failing).expectError(IllegalStateException.class).verify();
      StepVerifier.create(failing).expectError(IllegalStateException.class).verify();
      // Five requests, two accepted: (5 - 2 * 2) / (5 + 1) > 0, and the draw is 0.
      StepVerifier.create(ok).expectError(CallThrottledException.class).verify();

      assertThat(search.subscriptions()).as("a shed subscription never reaches the method's publisher").isEqualTo(5);
      var metrics = throttles.adaptiveThrottle("search").metrics();
      assertThat(metrics.totalAccepts()).isEqualTo(2);
      assertThat(metrics.totalFailedRequests()).isEqualTo(3);
      assertThat(metrics.totalRejectedRequests()).isEqualTo(1);
    });
  }

  @Test
  void aFallbackAnswersAShedFlux() {
    runner.run(context -> {
      Search search = context.getBean(Search.class);
      StepVerifier.create(search.stream("x")).expectNext("refused x").verifyComplete();
      StepVerifier.create(search.stream("y")).expectNext("cached y").verifyComplete();
      assertThat(search.subscriptions()).isEqualTo(1);
    });
  }

  @Test
  void chaosInjectsAFaultPerSubscriptionInsideTheBreaker() {
    runner.run(context -> {
      Search search = context.getBean(Search.class);
      Mono<String> faulty = search.faulty();
      StepVerifier.create(faulty).expectNext("injected").verifyComplete();
      StepVerifier.create(faulty).expectNext("injected").verifyComplete();

      assertThat(search.subscriptions()).isZero();
      assertThat(context.getBean(ChaosRegistry.class).chaos("faulty").metrics().numberOfInjectedFaults()).isEqualTo(2);
      assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("chaotic").metrics().totalFailedCalls())
          .as("the breaker sees the injected fault as a real one").isEqualTo(2);
    });
  }

  @Test
  void chaosDelaysEachSubscriptionWithoutBlocking() {
    runner.run(context -> {
      Search search = context.getBean(Search.class);
      ManualScheduler time = context.getBean(ManualScheduler.class);
      Flux<Integer> slow = search.slow();

      StepVerifier.create(slow)
          .expectSubscription()
          .then(() -> {
            assertThat(search.subscriptions()).isZero();
            time.advance(Duration.ofSeconds(2));
          })
          .expectNext(1, 2)
          .verifyComplete();
      StepVerifier.create(slow)
          .expectSubscription()
          .then(() -> time.advance(Duration.ofSeconds(2)))
          .expectNext(1, 2)
          .verifyComplete();

      assertThat(search.subscriptions()).isEqualTo(2);
      assertThat(context.getBean(ChaosRegistry.class).chaos("slow").metrics().numberOfInjectedLatencies()).isEqualTo(2);
    });
  }
}
