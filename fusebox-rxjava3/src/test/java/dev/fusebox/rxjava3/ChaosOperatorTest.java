package dev.fusebox.rxjava3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.chaos.InjectedFaultException;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChaosOperatorTest {

  private final ManualScheduler time = new ManualScheduler(new ManualTicker());
  private final Chaos chaos = Chaos.of("inventory", ChaosConfig.builder()
      .scheduler(time)
      .sleeper(nanos -> {
        throw new AssertionError("the operator never sleeps");
      })
      .build());
  private final AtomicInteger subscriptions = new AtomicInteger();

  @Test
  void withNothingInjectedEveryTypeRuns() {
    Single.just("a").compose(ChaosOperator.of(chaos)).test().assertResult("a");
    Maybe.just("a").compose(ChaosOperator.of(chaos)).test().assertResult("a");
    Completable.complete().compose(ChaosOperator.of(chaos)).test().assertComplete();
    Flowable.just(1, 2).compose(ChaosOperator.of(chaos)).test().assertResult(1, 2);
    Observable.just(1, 2).compose(ChaosOperator.of(chaos)).test().assertResult(1, 2);

    assertThat(chaos.metrics().numberOfCalls()).isEqualTo(5);
  }

  @Test
  void aFaultFailsEveryTypeWithoutSubscribingUpstream() {
    chaos.update(s -> s.withFaultRate(1));

    Single.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test().assertError(InjectedFaultException.class);
    Maybe.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test().assertError(InjectedFaultException.class);
    Completable.complete().doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test().assertError(InjectedFaultException.class);
    Flowable.just("a").doOnSubscribe(s -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test().assertError(InjectedFaultException.class);
    Observable.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test().assertError(InjectedFaultException.class);

    assertThat(subscriptions).hasValue(0);
    assertThat(chaos.metrics().numberOfInjectedFaults()).isEqualTo(5);
  }

  @Test
  void anInjectedResultAnswersInsteadOfTheSource() {
    chaos.update(s -> s.withResult(1, () -> "cached"));

    Single.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test().assertResult("cached");
    Observable.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test().assertResult("cached");

    assertThat(subscriptions).hasValue(0);
  }

  @Test
  void latencyDelaysTheSubscriptionWithoutBlocking() {
    chaos.update(s -> s.withLatency(1, Duration.ofSeconds(2)));

    var single = Single.just("a").doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test();
    var flowable = Flowable.just(1, 2).doOnSubscribe(s -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test();
    time.advance(Duration.ofMillis(1999));
    single.assertEmpty();
    flowable.assertEmpty();
    assertThat(subscriptions).hasValue(0);
    time.advance(Duration.ofMillis(1));

    single.assertResult("a");
    flowable.assertResult(1, 2);
    assertThat(subscriptions).hasValue(2);
  }

  @Test
  void disposingDuringLatencyMeansTheSourceIsNeverSubscribedTo() {
    chaos.update(s -> s.withLatency(1, Duration.ofSeconds(2)));

    var test = Completable.complete().doOnSubscribe(d -> subscriptions.incrementAndGet())
        .compose(ChaosOperator.of(chaos)).test();
    test.dispose();
    time.advance(Duration.ofSeconds(5));

    assertThat(subscriptions).hasValue(0);
    assertThat(time.pending()).isZero();
  }
}
