package dev.fusebox.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RequestNotPermittedException;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

class RateLimiterOperatorTest {

  private final ManualTicker ticker = new ManualTicker();
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

  private RateLimiter limiter(Duration timeout) {
    return RateLimiter.of("partner", RateLimiterConfig.builder()
        .limitForPeriod(1)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(timeout)
        .ticker(ticker)
        .sleeper(nanos -> {
          throw new AssertionError("the operator never sleeps");
        })
        .build());
  }

  private void advance(Duration duration) {
    ticker.advance(duration);
    time.advanceTimeBy(duration);
  }

  @Test
  void aFreePermitSubscribesAtOnce() {
    RateLimiter limiter = limiter(Duration.ZERO);

    StepVerifier.create(Flux.just(1, 2).transformDeferred(RateLimiterOperator.of(limiter, time)))
        .expectNext(1, 2)
        .verifyComplete();

    assertThat(limiter.metrics().totalSuccessfulAcquisitions()).isEqualTo(1);
  }

  @Test
  void aRefusedSubscriptionFailsAtOnceWithoutSubscribingUpstream() {
    RateLimiter limiter = limiter(Duration.ZERO);
    limiter.tryAcquirePermission();
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("quote"));

    StepVerifier.create(upstream.mono().transformDeferred(RateLimiterOperator.of(limiter, time)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(RequestNotPermittedException.class,
            refused -> assertThat(refused.rateLimiterName()).isEqualTo("partner")))
        .verify();

    upstream.assertWasNotSubscribed();
  }

  @Test
  void aPermitDueWithinTheTimeoutDelaysTheSubscriptionWithoutBlocking() {
    RateLimiter limiter = limiter(Duration.ofSeconds(2));
    limiter.tryAcquirePermission();
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("quote"));

    StepVerifier.create(upstream.mono().transformDeferred(RateLimiterOperator.of(limiter, time)))
        .expectSubscription()
        .then(() -> advance(Duration.ofMillis(999)))
        .then(upstream::assertWasNotSubscribed)
        .then(() -> advance(Duration.ofMillis(1)))
        .expectNext("quote")
        .verifyComplete();
  }

  @Test
  void cancellingWhileWaitingNeverSubscribesUpstream() {
    RateLimiter limiter = limiter(Duration.ofSeconds(2));
    limiter.tryAcquirePermission();
    PublisherProbe<String> upstream = PublisherProbe.of(Mono.just("quote"));

    StepVerifier.create(upstream.mono().transformDeferred(RateLimiterOperator.of(limiter, time)))
        .expectSubscription()
        .thenCancel()
        .verify();
    advance(Duration.ofSeconds(5));

    upstream.assertWasNotSubscribed();
  }

  @Test
  void waitsOnReactorsParallelSchedulerByDefault() {
    RateLimiter limiter = limiter(Duration.ofSeconds(2));
    limiter.tryAcquirePermission();

    StepVerifier.withVirtualTime(() -> Mono.just("quote").transformDeferred(RateLimiterOperator.of(limiter)))
        .expectSubscription()
        .then(() -> ticker.advance(Duration.ofSeconds(1)))
        .thenAwait(Duration.ofSeconds(1))
        .expectNext("quote")
        .verifyComplete();
  }
}
