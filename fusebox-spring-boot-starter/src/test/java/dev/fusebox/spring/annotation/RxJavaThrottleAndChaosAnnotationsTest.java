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
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code @AdaptiveThrottle} and {@code @Chaos} on methods returning RxJava 3 types act per subscription,
 * through fusebox-rxjava3's operators, in the pipeline's order.
 */
class RxJavaThrottleAndChaosAnnotationsTest {

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

  /** An RxJava service: each subscription to what it returns is one call upstream. */
  static class Sources {
    private final AtomicInteger subscriptions = new AtomicInteger();

    /** Read through the proxy: a field of the proxy is not the bean's. */
    public int subscriptions() {
      return subscriptions.get();
    }

    private IllegalStateException down() {
      subscriptions.incrementAndGet();
      return new IllegalStateException("overloaded");
    }

    @AdaptiveThrottle(name = "single")
    public Single<String> single() {
      return Single.error(this::down);
    }

    @AdaptiveThrottle(name = "maybe")
    public Maybe<String> maybe() {
      return Maybe.fromCallable(() -> {
        subscriptions.incrementAndGet();
        return "hit";
      });
    }

    @AdaptiveThrottle(name = "completable", fallbackMethod = "skip")
    public Completable completable() {
      return Completable.error(this::down);
    }

    Completable skip(CallThrottledException e) {
      return Completable.complete();
    }

    @AdaptiveThrottle(name = "observable", fallbackMethod = "cached")
    public Observable<String> observable() {
      return Observable.error(this::down);
    }

    Observable<String> cached(CallThrottledException e) {
      return Observable.just("cached");
    }

    @Chaos(name = "faulty")
    @CircuitBreaker(name = "chaotic")
    public Single<String> faulty() {
      return Single.fromCallable(() -> {
        subscriptions.incrementAndGet();
        return "real";
      });
    }

    @Chaos(name = "slow")
    public Flowable<Integer> slow() {
      return Flowable.defer(() -> {
        subscriptions.incrementAndGet();
        return Flowable.just(1, 2);
      });
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    Sources sources() {
      return new Sources();
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
  void aFailedSubscriptionIsRecordedAndTheNextIsShedWithoutSubscribingUpstream() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      Single<String> single = sources.single();
      single.test().assertError(IllegalStateException.class);
      single.test().assertError(CallThrottledException.class);

      assertThat(sources.subscriptions()).isEqualTo(1);
      var metrics = context.getBean(AdaptiveThrottleRegistry.class).adaptiveThrottle("single").metrics();
      assertThat(metrics.totalFailedRequests()).isEqualTo(1);
      assertThat(metrics.totalRejectedRequests()).isEqualTo(1);
    });
  }

  @Test
  void anAcceptedSubscriptionIsRecorded() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      sources.maybe().test().assertResult("hit");
      sources.maybe().test().assertResult("hit");

      assertThat(context.getBean(AdaptiveThrottleRegistry.class).adaptiveThrottle("maybe").metrics().totalAccepts())
          .isEqualTo(2);
    });
  }

  @Test
  void aFallbackAnswersAShedSubscription() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      sources.observable().test().assertError(IllegalStateException.class);
      sources.observable().test().assertResult("cached");
      sources.completable().test().assertError(IllegalStateException.class);
      sources.completable().test().assertComplete();

      assertThat(sources.subscriptions()).isEqualTo(2);
    });
  }

  @Test
  void chaosInjectsAFaultPerSubscriptionInsideTheBreaker() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      Single<String> faulty = sources.faulty();
      faulty.test().assertError(InjectedFaultException.class);
      faulty.test().assertError(InjectedFaultException.class);

      assertThat(sources.subscriptions()).isZero();
      assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("chaotic").metrics().totalFailedCalls())
          .isEqualTo(2);
    });
  }

  @Test
  void chaosDelaysEachSubscriptionWithoutBlocking() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      ManualScheduler time = context.getBean(ManualScheduler.class);
      Flowable<Integer> slow = sources.slow();

      var first = slow.test();
      var second = slow.test();
      first.assertEmpty();
      assertThat(sources.subscriptions()).isZero();
      time.advance(Duration.ofSeconds(2));

      first.assertResult(1, 2);
      second.assertResult(1, 2);
      assertThat(sources.subscriptions()).isEqualTo(2);
      assertThat(context.getBean(ChaosRegistry.class).chaos("slow").metrics().numberOfInjectedLatencies()).isEqualTo(2);
    });
  }
}
