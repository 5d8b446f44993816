package dev.fusebox.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.bulkhead.BulkheadFullException;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.ratelimiter.RequestNotPermittedException;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.observers.BaseTestConsumer;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The annotations on methods returning each of RxJava 3's five types act per subscription, through
 * fusebox-rxjava3's operators, as they do on Mono and Flux.
 */
class RxJavaAnnotationsTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
          .withBean("sources", Sources.class)
          .withPropertyValues(
              "fusebox.circuitbreaker.configs.default.consecutive-failure-threshold=2",
              "fusebox.circuitbreaker.configs.default.wait-duration-in-open-state=1h",
              "fusebox.circuitbreaker.instances.counted.consecutive-failure-threshold=10",
              "fusebox.retry.configs.default.max-attempts=3",
              "fusebox.retry.configs.default.wait-duration=1ms",
              "fusebox.bulkhead.instances.one.max-concurrent-calls=1",
              "fusebox.ratelimiter.instances.once.limit-for-period=1",
              "fusebox.ratelimiter.instances.once.limit-refresh-period=1h",
              "fusebox.timelimiter.instances.slow.timeout-duration=50ms");

  /**
   * An RxJava service: each subscription to what it returns is one call upstream, counted apart from the
   * calls of its methods, which only assemble.
   */
  static class Sources {
    private final AtomicInteger assemblies = new AtomicInteger();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicReference<Throwable> fellBackOn = new AtomicReference<>();

    /** Read through the proxy: a field of the proxy is not the bean's. */
    public int assemblies() {
      return assemblies.get();
    }

    public int subscriptions() {
      return subscriptions.get();
    }

    public Throwable fellBackOn() {
      return fellBackOn.get();
    }

    private void assembled() {
      assemblies.incrementAndGet();
    }

    /** The failure of one subscription upstream. */
    private IllegalStateException down() {
      subscriptions.incrementAndGet();
      return new IllegalStateException("upstream down");
    }

    /** Whether this subscription upstream fails: the first two do. */
    private boolean notYet() {
      return subscriptions.incrementAndGet() < 3;
    }

    @CircuitBreaker(name = "flowable")
    public Flowable<String> flowable() {
      assembled();
      return Flowable.defer(() -> Flowable.error(down()));
    }

    @CircuitBreaker(name = "observable")
    public Observable<String> observable() {
      assembled();
      return Observable.defer(() -> Observable.error(down()));
    }

    @CircuitBreaker(name = "single")
    public Single<String> single() {
      assembled();
      return Single.defer(() -> Single.error(down()));
    }

    @CircuitBreaker(name = "maybe")
    public Maybe<String> maybe() {
      assembled();
      return Maybe.defer(() -> Maybe.error(down()));
    }

    @CircuitBreaker(name = "completable")
    public Completable completable() {
      assembled();
      return Completable.defer(() -> Completable.error(down()));
    }

    @CircuitBreaker(name = "flowableFallback", fallbackMethod = "flowableAnswer")
    public Flowable<String> flowableWithFallback() {
      return Flowable.defer(() -> Flowable.error(down()));
    }

    Flowable<String> flowableAnswer(Throwable e) {
      fellBackOn.set(e);
      return Flowable.just("fallback");
    }

    @CircuitBreaker(name = "observableFallback", fallbackMethod = "observableAnswer")
    public Observable<String> observableWithFallback() {
      return Observable.defer(() -> Observable.error(down()));
    }

    Observable<String> observableAnswer(Throwable e) {
      fellBackOn.set(e);
      return Observable.just("fallback");
    }

    @CircuitBreaker(name = "singleFallback", fallbackMethod = "singleAnswer")
    public Single<String> singleWithFallback() {
      return Single.defer(() -> Single.error(down()));
    }

    Single<String> singleAnswer(Throwable e) {
      fellBackOn.set(e);
      return Single.just("fallback");
    }

    @CircuitBreaker(name = "maybeFallback", fallbackMethod = "maybeAnswer")
    public Maybe<String> maybeWithFallback() {
      return Maybe.defer(() -> Maybe.error(down()));
    }

    Maybe<String> maybeAnswer(Throwable e) {
      fellBackOn.set(e);
      return Maybe.just("fallback");
    }

    @CircuitBreaker(name = "completableFallback", fallbackMethod = "completableAnswer")
    public Completable completableWithFallback() {
      return Completable.defer(() -> Completable.error(down()));
    }

    Completable completableAnswer(Throwable e) {
      fellBackOn.set(e);
      return Completable.complete();
    }

    @Retry(name = "again")
    public Flowable<String> flowableRetried() {
      assembled();
      return Flowable.defer(() -> notYet() ? Flowable.error(new IllegalStateException("not yet")) : Flowable.just("third"));
    }

    @Retry(name = "again")
    public Observable<String> observableRetried() {
      assembled();
      return Observable.defer(() -> notYet() ? Observable.error(new IllegalStateException("not yet")) : Observable.just("third"));
    }

    @Retry(name = "again")
    public Single<String> singleRetried() {
      assembled();
      return Single.defer(() -> notYet() ? Single.error(new IllegalStateException("not yet")) : Single.just("third"));
    }

    @Retry(name = "again")
    public Maybe<String> maybeRetried() {
      assembled();
      return Maybe.defer(() -> notYet() ? Maybe.error(new IllegalStateException("not yet")) : Maybe.just("third"));
    }

    @Retry(name = "again")
    public Completable completableRetried() {
      assembled();
      return Completable.defer(() -> notYet() ? Completable.error(new IllegalStateException("not yet")) : Completable.complete());
    }

    @Retry(name = "again")
    @CircuitBreaker(name = "counted")
    public Single<String> retriedThroughTheBreaker() {
      return Single.defer(() -> Single.error(down()));
    }

    @CircuitBreaker(name = "thrown")
    public Single<String> thrown() {
      throw new IllegalStateException("while assembling");
    }

    @CircuitBreaker(name = "ticks")
    public Flowable<Integer> ticks() {
      return Flowable.range(1, 3);
    }

    @Bulkhead(name = "one")
    public Observable<String> held() {
      return Observable.defer(() -> {
        subscriptions.incrementAndGet();
        return Observable.never();
      });
    }

    @RateLimiter(name = "once")
    public Completable limited() {
      return Completable.fromAction(subscriptions::incrementAndGet);
    }

    @TimeLimiter(name = "slow")
    public Maybe<String> slow() {
      return Maybe.never();
    }
  }

  /** The five types, each with the methods of {@link Sources} that return it. */
  enum Type {
    FLOWABLE(Sources::flowable, Sources::flowableWithFallback, Sources::flowableRetried),
    OBSERVABLE(Sources::observable, Sources::observableWithFallback, Sources::observableRetried),
    SINGLE(Sources::single, Sources::singleWithFallback, Sources::singleRetried),
    MAYBE(Sources::maybe, Sources::maybeWithFallback, Sources::maybeRetried),
    COMPLETABLE(Sources::completable, Sources::completableWithFallback, Sources::completableRetried);

    final Function<Sources, Object> failing;
    final Function<Sources, Object> withFallback;
    final Function<Sources, Object> retried;

    Type(Function<Sources, Object> failing, Function<Sources, Object> withFallback, Function<Sources, Object> retried) {
      this.failing = failing;
      this.withFallback = withFallback;
      this.retried = retried;
    }

    /** The name of the breaker of the failing method, and the prefix of the fallback's. */
    String breaker() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** What a source of this type emits besides {@code value}: nothing, for a Completable. */
    List<Object> values(Object value) {
      return this == COMPLETABLE ? List.of() : List.of(value);
    }
  }

  /** Subscribes once to a source of any of the five types, and waits for it to end. */
  private static BaseTestConsumer<?, ?> subscribe(Object source) throws InterruptedException {
    BaseTestConsumer<?, ?> consumer;
    if (source instanceof Flowable<?> flowable) {
      consumer = flowable.test();
    } else if (source instanceof Observable<?> observable) {
      consumer = observable.test();
    } else if (source instanceof Single<?> single) {
      consumer = single.test();
    } else if (source instanceof Maybe<?> maybe) {
      consumer = maybe.test();
    } else {
      consumer = ((Completable) source).test();
    }
    consumer.await(5, TimeUnit.SECONDS);
    return consumer;
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void assemblingRecordsNothingAndEachSubscriptionIsACallWhoseFailureIsRecorded(Type type) {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      dev.fusebox.circuitbreaker.CircuitBreaker breaker =
          context.getBean(CircuitBreakerRegistry.class).circuitBreaker(type.breaker());
      Object source = type.failing.apply(sources);
      assertThat(sources.assemblies()).isEqualTo(1);
      assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();
      assertThat(sources.subscriptions()).isZero();

      subscribe(source).assertError(IllegalStateException.class);
      assertThat(sources.subscriptions()).isEqualTo(1);
      assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
      assertThat(breaker.state()).isEqualTo(dev.fusebox.circuitbreaker.CircuitBreaker.State.CLOSED);
    });
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void anOpenBreakerRejectsWithCallNotPermittedWithoutSubscribingUpstream(Type type) {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      dev.fusebox.circuitbreaker.CircuitBreaker breaker =
          context.getBean(CircuitBreakerRegistry.class).circuitBreaker(type.breaker());
      Object source = type.failing.apply(sources);
      subscribe(source).assertError(IllegalStateException.class);
      subscribe(source).assertError(IllegalStateException.class);
      assertThat(breaker.state()).isEqualTo(dev.fusebox.circuitbreaker.CircuitBreaker.State.OPEN);

      subscribe(source).assertError(CallNotPermittedException.class);
      assertThat(sources.subscriptions()).isEqualTo(2);
      assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(2);
      assertThat(breaker.metrics().numberOfNotPermittedCalls()).isEqualTo(1);
    });
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void aFallbackMethodOfTheSameTypeAnswersFailuresAndRejections(Type type) {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      Object source = type.withFallback.apply(sources);
      assertThat(sources.fellBackOn()).isNull();

      BaseTestConsumer<?, ?> answered = subscribe(source).assertNoErrors().assertComplete();
      assertThat(answered.values()).isEqualTo(type.values("fallback"));
      assertThat(sources.fellBackOn()).isInstanceOf(IllegalStateException.class);

      subscribe(source).assertNoErrors().assertComplete();
      BaseTestConsumer<?, ?> rejected = subscribe(source).assertNoErrors().assertComplete();
      assertThat(rejected.values()).isEqualTo(type.values("fallback"));
      assertThat(sources.fellBackOn()).isInstanceOf(CallNotPermittedException.class);
      assertThat(sources.subscriptions()).isEqualTo(2);
    });
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void aRetrySubscribesAgainToWhatTheMethodReturnedOnce(Type type) {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      Object source = type.retried.apply(sources);
      assertThat(sources.subscriptions()).isZero();

      BaseTestConsumer<?, ?> consumer = subscribe(source).assertNoErrors().assertComplete();
      assertThat(consumer.values()).isEqualTo(type.values("third"));
      assertThat(sources.subscriptions()).isEqualTo(3);
      assertThat(sources.assemblies()).isEqualTo(1);
    });
  }

  @Test
  void eachAttemptOfTheRetryGoesThroughTheBreaker() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      subscribe(sources.retriedThroughTheBreaker()).assertError(IllegalStateException.class);
      assertThat(sources.subscriptions()).isEqualTo(3);
      assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("counted").metrics().numberOfFailedCalls())
          .isEqualTo(3);
    });
  }

  @Test
  void aMethodThatThrowsWhileAssemblingFailsItsSubscriptions() {
    runner.run(context -> {
      dev.fusebox.circuitbreaker.CircuitBreaker breaker =
          context.getBean(CircuitBreakerRegistry.class).circuitBreaker("thrown");
      Single<String> thrown = context.getBean(Sources.class).thrown();
      assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();

      subscribe(thrown).assertError(IllegalStateException.class);
      assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1);
    });
  }

  @Test
  void aFlowableIsOneCallRecordedAsOneSuccessAtItsEnd() {
    runner.run(context -> {
      dev.fusebox.circuitbreaker.CircuitBreaker breaker =
          context.getBean(CircuitBreakerRegistry.class).circuitBreaker("ticks");
      TestSubscriber<Integer> ticks = context.getBean(Sources.class).ticks().test(0);
      ticks.request(2);
      ticks.assertValues(1, 2).assertNotComplete();
      assertThat(breaker.metrics().numberOfBufferedCalls()).isZero();

      ticks.request(1);
      ticks.assertValues(1, 2, 3).assertComplete();
      assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
      assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1);
    });
  }

  @Test
  void aFullBulkheadRejectsASubscriptionWithItsOwnExceptionUntilOneEnds() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      Observable<String> held = sources.held();
      TestObserver<String> first = held.test();
      held.test().assertError(BulkheadFullException.class);
      assertThat(sources.subscriptions()).isEqualTo(1);

      first.dispose();
      held.test().assertNoErrors().assertNotComplete();
      assertThat(sources.subscriptions()).isEqualTo(2);
    });
  }

  @Test
  void theRateLimiterSpendsAPermitPerSubscriptionNotPerAssembly() {
    runner.run(context -> {
      Sources sources = context.getBean(Sources.class);
      Completable first = sources.limited();
      Completable second = sources.limited();
      first.test().assertComplete();
      second.test().assertError(RequestNotPermittedException.class);
      assertThat(sources.subscriptions()).isEqualTo(1);
    });
  }

  @Test
  void theTimeLimiterEndsASubscriptionThatTakesTooLong() {
    runner.run(context -> {
      TestObserver<String> slow = context.getBean(Sources.class).slow().test();
      slow.await(5, TimeUnit.SECONDS);
      slow.assertError(TimeoutException.class);
    });
  }

  /** A Single method whose fallback returns a Maybe: not of the matching type. */
  static class WrongFallback {
    @CircuitBreaker(name = "wrong", fallbackMethod = "other")
    public Single<String> call() {
      return Single.just("");
    }

    Maybe<String> other(Throwable e) {
      return Maybe.empty();
    }
  }

  @Test
  void failsStartUpForAFallbackOfAnotherType() {
    runner.withBean("wrong", WrongFallback.class).run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("does not match"));
  }
}
