package dev.fusebox.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FallbackTest {

  private final ManualTicker ticker = new ManualTicker();
  private final List<FallbackEvent> events = new ArrayList<>();

  private <T> Fallback<T> fallback(FallbackConfig.Builder<T> config) {
    Fallback<T> fallback = Fallback.of("test", config.ticker(ticker).build());
    fallback.onEvent(events::add);
    return fallback;
  }

  private static <T> Supplier<T> failing(RuntimeException failure) {
    return () -> {
      throw failure;
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // Alternatives

  @Test
  void aSuccessfulCallKeepsItsValueAndPublishesNothing() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().fallbackValue("fallback"));
    assertThat(fallback.executeSupplier(() -> "fresh")).isEqualTo("fresh");
    assertThat(events).isEmpty();
    assertThat(fallback.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void answersAFailureWithTheFallbackValue() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().fallbackValue("fallback"));
    IllegalStateException failure = new IllegalStateException("down");
    assertThat(fallback.executeSupplier(failing(failure))).isEqualTo("fallback");
    assertThat(events).singleElement().isInstanceOfSatisfying(FallbackEvent.FallbackUsed.class,
        e -> assertThat(e.cause()).isSameAs(failure));
    assertThat(fallback.metrics().numberOfFallbackCalls()).isEqualTo(1);
  }

  @Test
  void answersWithAnAlternativeCallOrAFunctionOfTheFailure() {
    AtomicInteger alternativeCalls = new AtomicInteger();
    Fallback<String> viaSupplier = fallback(FallbackConfig.<String>builder()
        .fallbackSupplier(() -> "replica " + alternativeCalls.incrementAndGet()));
    assertThat(viaSupplier.executeSupplier(failing(new IllegalStateException()))).isEqualTo("replica 1");

    Fallback<String> viaFunction = fallback(FallbackConfig.<String>builder()
        .fallbackFunction(cause -> "because " + cause.getMessage()));
    assertThat(viaFunction.executeSupplier(failing(new IllegalStateException("timeout")))).isEqualTo("because timeout");
  }

  @Test
  void aFailureOutsideTheHandledTypesReachesTheCallerUnchanged() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder()
        .fallbackExceptions(UncheckedIOException.class).fallbackValue("fallback"));
    IllegalArgumentException bug = new IllegalArgumentException("bug");
    assertThat(catchThrowable(() -> fallback.executeSupplier(failing(bug)))).isSameAs(bug);
    assertThat(events).isEmpty();
    assertThat(fallback.metrics().numberOfUnhandledCalls()).isEqualTo(1);
    assertThat(fallback.executeSupplier(failing(new UncheckedIOException(new IOException())))).isEqualTo("fallback");
  }

  @Test
  void ignoreExceptionsWinAndPredicatesAdd() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder()
        .fallbackExceptions(RuntimeException.class)
        .ignoreExceptions(IllegalArgumentException.class)
        .fallbackOnException(e -> e instanceof AssertionError)
        .fallbackValue("fallback"));
    IllegalArgumentException ignored = new IllegalArgumentException();
    assertThat(catchThrowable(() -> fallback.executeSupplier(failing(ignored)))).isSameAs(ignored);
    assertThat(fallback.executeSupplier(() -> {
      throw new AssertionError("matched by the predicate");
    })).isEqualTo("fallback");
  }

  @Test
  void errorsAreNotHandledByDefault() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().fallbackValue("fallback"));
    AssertionError error = new AssertionError("bug");
    assertThat(catchThrowable(() -> fallback.executeSupplier(() -> {
      throw error;
    }))).isSameAs(error);
  }

  @Test
  void handlesACheckedExceptionOfACallable() throws Exception {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().fallbackValue("fallback"));
    assertThat(fallback.executeCallable(() -> {
      throw new IOException("disk");
    })).isEqualTo("fallback");
  }

  @Test
  void aThrowingAlternativePropagatesWithTheOriginalSuppressed() {
    IllegalStateException alternativeFailure = new IllegalStateException("replica down too");
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().fallbackSupplier(() -> {
      throw alternativeFailure;
    }));
    IllegalStateException original = new IllegalStateException("primary down");
    Throwable thrown = catchThrowable(() -> fallback.executeSupplier(failing(original)));
    assertThat(thrown).isSameAs(alternativeFailure);
    assertThat(thrown.getSuppressed()).containsExactly(original);
    assertThat(events).singleElement().isInstanceOfSatisfying(FallbackEvent.FallbackFailed.class, e -> {
      assertThat(e.cause()).isSameAs(original);
      assertThat(e.failure()).isSameAs(alternativeFailure);
    });
    assertThat(fallback.metrics().numberOfFailedFallbacks()).isEqualTo(1);
  }

  @Test
  void aFunctionRethrowingTheCauseDoesNotSuppressItIntoItself() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().fallbackFunction(cause -> {
      throw (RuntimeException) cause;
    }));
    IllegalStateException original = new IllegalStateException("down");
    assertThat(catchThrowable(() -> fallback.executeSupplier(failing(original)))).isSameAs(original);
    assertThat(original.getSuppressed()).isEmpty();
  }

  @Test
  void answersForAFailedRunnableByRunningTheStrategy() {
    AtomicInteger alternativeCalls = new AtomicInteger();
    Fallback<Void> fallback = fallback(FallbackConfig.<Void>builder().fallbackSupplier(() -> {
      alternativeCalls.incrementAndGet();
      return null;
    }));
    fallback.executeRunnable(() -> {
      throw new IllegalStateException("down");
    });
    fallback.decorateRunnable(() -> {
      throw new IllegalStateException("down");
    }).run();
    assertThat(alternativeCalls).hasValue(2);
  }

  @Test
  void answersForTheBreakersRejection() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("backend");
    breaker.transitionToForcedOpenState();
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder()
        .fallbackFunction(cause -> cause instanceof CallNotPermittedException ? "breaker open" : "other"));
    assertThat(fallback.decorateSupplier(breaker.decorateSupplier(() -> "fresh")).get()).isEqualTo("breaker open");
  }

  // ---------------------------------------------------------------------------------------------------
  // Results

  @Test
  void replacesARejectedResultAndHandsItToTheFunction() {
    Fallback<Integer> fallback = fallback(FallbackConfig.<Integer>builder()
        .fallbackOnResult(status -> status == 503)
        .fallbackFunction(cause -> ((RejectedResultException) cause).result().equals(503) ? 200 : -1));
    assertThat(fallback.executeSupplier(() -> 503)).isEqualTo(200);
    assertThat(fallback.executeSupplier(() -> 201)).isEqualTo(201);
    assertThat(((FallbackEvent.FallbackUsed) events.get(0)).cause())
        .isInstanceOf(RejectedResultException.class)
        .hasMessage("Fallback 'test': the call returned a result to replace");
  }

  @Test
  void aRejectedResultWithNothingToReplaceItIsReturnedAsItIs() {
    Fallback<Integer> fallback = fallback(FallbackConfig.<Integer>builder().fallbackOnResult(status -> status == 503));
    assertThat(fallback.executeSupplier(() -> 503)).isEqualTo(503);
    FallbackResult<Integer> result = fallback.executeSupplierForResult(() -> 503);
    assertThat(result.value()).isEqualTo(503);
    assertThat(result.source()).isEqualTo(FallbackResult.Source.CALL);
    assertThat(result.cause()).isInstanceOf(RejectedResultException.class);
    assertThat(fallback.metrics().numberOfUnhandledCalls()).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------------
  // Last known good

  @Test
  void servesTheLastKnownGoodValueAndSaysItIsStale() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().lastKnownGood(Duration.ofMinutes(5), 10));
    assertThat(fallback.executeSupplier("sku-1", () -> "price 10")).isEqualTo("price 10");
    ticker.advance(Duration.ofSeconds(42));
    IllegalStateException down = new IllegalStateException("down");

    FallbackResult<String> result = fallback.executeSupplierForResult("sku-1", failing(down));

    assertThat(result.value()).isEqualTo("price 10");
    assertThat(result.isStale()).isTrue();
    assertThat(result.isFallback()).isTrue();
    assertThat(result.source()).isEqualTo(FallbackResult.Source.LAST_KNOWN_GOOD);
    assertThat(result.age()).isEqualTo(Duration.ofSeconds(42));
    assertThat(result.cause()).isSameAs(down);
    assertThat(events).singleElement().isInstanceOfSatisfying(FallbackEvent.StaleValueServed.class, e -> {
      assertThat(e.key()).isEqualTo("sku-1");
      assertThat(e.age()).isEqualTo(Duration.ofSeconds(42));
      assertThat(e.cause()).isSameAs(down);
    });
    assertThat(fallback.metrics().numberOfStaleValuesServed()).isEqualTo(1);
  }

  @Test
  void aFreshAnswerSaysItCameFromTheCall() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder());
    FallbackResult<String> result = fallback.executeSupplierForResult(() -> "fresh");
    assertThat(result).isEqualTo(new FallbackResult<>("fresh", FallbackResult.Source.CALL, null, Duration.ZERO));
    assertThat(result.isStale()).isFalse();
    assertThat(result.isFallback()).isFalse();
  }

  @Test
  void servesTheLatestValuePerKey() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().lastKnownGood(Duration.ofMinutes(5), 10));
    Function<String, String> price = fallback.decorateFunction(sku -> "price of " + sku);
    price.apply("a");
    price.apply("b");
    fallback.executeSupplier("a", () -> "newer price of a");
    Function<String, String> down = fallback.decorateFunction(sku -> {
      throw new IllegalStateException("down");
    });
    assertThat(down.apply("a")).isEqualTo("newer price of a");
    assertThat(down.apply("b")).isEqualTo("price of b");
    assertThatThrownBy(() -> down.apply("c")).hasMessage("down");
    assertThat(events).extracting(FallbackEvent::type).containsExactly(
        FallbackEvent.Type.CACHE_HIT_STALE, FallbackEvent.Type.CACHE_HIT_STALE, FallbackEvent.Type.CACHE_MISS);
  }

  @Test
  void derivesKeysWithTheKeyFunction() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().keyFunction(s -> ((String) s).toLowerCase()));
    fallback.decorateFunction((String s) -> "cached for " + s).apply("ABC");
    assertThat(fallback.decorateFunction((String s) -> {
      throw new IllegalStateException();
    }).apply("abc")).isEqualTo("cached for ABC");
  }

  @Test
  void servesAValueUpToItsMaximumAgeAndNeverAfter() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().lastKnownGood(Duration.ofSeconds(30), 10));
    fallback.executeSupplier(() -> "v1");
    IllegalStateException down = new IllegalStateException("down");
    ticker.advance(Duration.ofSeconds(30));
    assertThat(fallback.executeSupplier(failing(down))).isEqualTo("v1");
    ticker.advanceNanos(1);
    assertThat(catchThrowable(() -> fallback.executeSupplier(failing(down)))).isSameAs(down);
    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(FallbackEvent.CacheMiss.class,
        e -> assertThat(e.cause()).isSameAs(down));
    assertThat(fallback.metrics().numberOfCacheMisses()).isEqualTo(1);
    assertThat(fallback.metrics().numberOfUnhandledCalls()).isEqualTo(1);
  }

  @Test
  void aCacheMissFallsThroughToTheAlternative() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder()
        .lastKnownGood(Duration.ofSeconds(30), 10).fallbackValue("default"));
    FallbackResult<String> result = fallback.executeSupplierForResult("k", failing(new IllegalStateException()));
    assertThat(result.value()).isEqualTo("default");
    assertThat(result.source()).isEqualTo(FallbackResult.Source.FALLBACK);
    assertThat(events).extracting(FallbackEvent::type)
        .containsExactly(FallbackEvent.Type.CACHE_MISS, FallbackEvent.Type.FALLBACK_USED);
  }

  @Test
  void rejectedResultsAreNeverRecordedAsKnownGood() {
    Fallback<Integer> fallback = fallback(FallbackConfig.<Integer>builder()
        .lastKnownGood(Duration.ofMinutes(1), 10).fallbackOnResult(status -> status >= 500));
    fallback.executeSupplier(() -> 200);
    fallback.executeSupplier(() -> 503);
    assertThat(fallback.executeSupplier(() -> 502)).isEqualTo(200);
  }

  @Test
  void markStaleTagsTheServedValue() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder()
        .markStale((value, age) -> value + " (stale, " + age.toSeconds() + " s)"));
    fallback.executeSupplier(() -> "report");
    ticker.advance(Duration.ofSeconds(7));
    assertThat(fallback.executeSupplier(failing(new IllegalStateException()))).isEqualTo("report (stale, 7 s)");
  }

  @Test
  void aThrowingMarkStaleIsAFailedFallback() {
    IllegalStateException bug = new IllegalStateException("mapper bug");
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().markStale((value, age) -> {
      throw bug;
    }));
    fallback.executeSupplier(() -> "report");
    IllegalStateException down = new IllegalStateException("down");
    assertThat(catchThrowable(() -> fallback.executeSupplier(failing(down)))).isSameAs(bug);
    assertThat(bug.getSuppressed()).containsExactly(down);
  }

  @Test
  void evictsTheKeyWrittenLeastRecentlyWhenFull() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().lastKnownGood(Duration.ofHours(1), 3));
    fallback.executeSupplier("a", () -> "a1");
    fallback.executeSupplier("b", () -> "b1");
    fallback.executeSupplier("c", () -> "c1");
    fallback.executeSupplier("a", () -> "a2");
    fallback.executeSupplier("d", () -> "d1");
    assertThat(fallback.metrics().lastKnownGoodSize()).isEqualTo(3);
    Supplier<String> down = failing(new IllegalStateException("down"));
    assertThat(fallback.executeSupplier("a", down)).isEqualTo("a2");
    assertThatThrownBy(() -> fallback.executeSupplier("b", down)).hasMessage("down");
    assertThat(fallback.executeSupplier("c", down)).isEqualTo("c1");
    assertThat(fallback.executeSupplier("d", down)).isEqualTo("d1");
  }

  @Test
  void keylessCallsShareOneEntryAndNullKeysWork() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder());
    fallback.executeSupplier(() -> "shared");
    fallback.executeSupplier(null, () -> "null key");
    Supplier<String> down = failing(new IllegalStateException());
    assertThat(fallback.decorateSupplier(down).get()).isEqualTo("shared");
    assertThat(fallback.executeSupplier(null, down)).isEqualTo("null key");
  }

  @Test
  void rejectsABlankNameAndNullCalls() {
    assertThatThrownBy(() -> Fallback.of("", FallbackConfig.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> Fallback.of("x", null)).hasMessage("config must not be null");
    Fallback<String> fallback = Fallback.ofDefaults("x");
    assertThatThrownBy(() -> fallback.executeSupplier(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> fallback.decorateFunction(null)).hasMessage("function must not be null");
  }

  @Test
  void aFallbackAroundABreakerServesTheLastKnownGoodWhileItIsOpen() {
    CircuitBreaker breaker = CircuitBreaker.of("prices", CircuitBreakerConfig.builder()
        .countBasedWindow(2).minimumNumberOfCalls(2).ticker(ticker).build());
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder());
    AtomicInteger backend = new AtomicInteger();
    Supplier<String> call = fallback.decorateSupplier(breaker.decorateSupplier(() -> {
      if (backend.incrementAndGet() > 1) {
        throw new IllegalStateException("down");
      }
      return "price 1";
    }));
    assertThat(call.get()).isEqualTo("price 1");
    assertThat(call.get()).isEqualTo("price 1");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(call.get()).isEqualTo("price 1");
    assertThat(backend).hasValue(2);
    assertThat(((FallbackEvent.StaleValueServed) events.get(1)).cause()).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void theSuccessRateIsTheShareOfTheCallsNeedingTheFallbackThatItAnswered() {
    java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger();
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().fallbackSupplier(() -> {
      if (attempt.incrementAndGet() == 4) {
        throw new IllegalStateException("replica down too");
      }
      return "fallback";
    }));
    assertThat(fallback.metrics().fallbackSuccessRate()).isEqualTo(-1f);
    fallback.executeSupplier(() -> "own");
    assertThat(fallback.metrics().fallbackSuccessRate()).as("a call that needed no fallback").isEqualTo(-1f);
    for (int i = 0; i < 4; i++) {
      catchThrowable(() -> fallback.executeSupplier(failing(new IllegalStateException("primary down"))));
    }
    assertThat(fallback.metrics().fallbackSuccessRate()).isEqualTo(75f);
  }
}
