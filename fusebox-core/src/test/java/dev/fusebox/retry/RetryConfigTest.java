package dev.fusebox.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryConfigTest {

  @Test
  void defaultsAreResilience4jsWithEverythingExtraOff() {
    RetryConfig c = RetryConfig.ofDefaults();
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.waitDuration()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.exponentialBackoffMultiplier()).isEqualTo(1);
    assertThat(c.exponentialMaxWaitDuration()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.jitter()).isEqualTo(RetryConfig.Jitter.NONE);
    assertThat(c.maxDuration()).isEqualTo(Duration.ZERO);
    assertThat(c.retryExceptions()).isEmpty();
    assertThat(c.ignoreExceptions()).isEmpty();
    assertThat(c.retryOnException()).isEmpty();
    assertThat(c.retryOnResult()).isEmpty();
    assertThat(c.failAfterMaxAttempts()).isFalse();
    assertThat(c.retryAfterFromException()).isEmpty();
    assertThat(c.retryAfterFromResult()).isEmpty();
    assertThat(c.retryBudget()).isEmpty();
    assertThat(c.random()).isEmpty();
    assertThat(c.ticker()).isSameAs(Ticker.system());
    assertThat(c.scheduler()).isSameAs(Scheduler.system());
    assertThat(c.sleeper()).isNotNull();
  }

  @Test
  void toBuilderKeepsEveryOption() {
    RetryBudget budget = RetryBudget.ofDefaults();
    Random random = new Random(1);
    Sleeper sleeper = nanos -> { };
    Scheduler scheduler = (task, delay) -> null;
    Ticker ticker = () -> 42;
    RetryConfig original = RetryConfig.builder()
        .maxAttempts(7)
        .waitDuration(Duration.ofMillis(20))
        .exponentialBackoff(3, Duration.ofSeconds(2))
        .jitter(RetryConfig.Jitter.DECORRELATED)
        .maxDuration(Duration.ofSeconds(9))
        .retryExceptions(IOException.class)
        .ignoreExceptions(IllegalStateException.class)
        .retryOnException(e -> true)
        .retryOnResult(r -> false)
        .failAfterMaxAttempts(true)
        .retryAfterFromException(e -> Optional.empty())
        .retryAfterFromResult(r -> Optional.empty())
        .retryBudget(budget)
        .random(random)
        .ticker(ticker)
        .sleeper(sleeper)
        .scheduler(scheduler)
        .build();
    RetryConfig copy = original.toBuilder().build();
    assertThat(copy).usingRecursiveComparison().isEqualTo(original);
    assertThat(copy.toString()).isEqualTo(original.toString());
  }

  @Test
  void toBuilderOfAConfigWithoutBackoffStaysWithoutBackoff() {
    RetryConfig copy = RetryConfig.ofDefaults().toBuilder().waitDuration(Duration.ofSeconds(2)).build();
    assertThat(copy.exponentialMaxWaitDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(copy.exponentialBackoffMultiplier()).isEqualTo(1);
  }

  @Test
  void rejectsMaxAttemptsBelowOne() {
    assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid RetryConfig: maxAttempts must be at least 1, was 0");
  }

  @Test
  void rejectsANegativeWaitDuration() {
    assertThatThrownBy(() -> RetryConfig.builder().waitDuration(Duration.ofMillis(-1)).build())
        .hasMessage("Invalid RetryConfig: waitDuration must not be negative, was PT-0.001S");
  }

  @Test
  void rejectsAWaitDurationBeyondLongNanos() {
    assertThatThrownBy(() -> RetryConfig.builder().waitDuration(Duration.ofDays(200_000)).build())
        .hasMessageContaining("waitDuration must be at most PT2562047H47M16.854775807S, was PT4800000H");
  }

  @Test
  void rejectsABackoffMultiplierBelowOneOrNotFinite() {
    assertThatThrownBy(() -> RetryConfig.builder().exponentialBackoff(0.5, Duration.ofSeconds(1)).build())
        .hasMessage("Invalid RetryConfig: exponentialBackoff multiplier must be a finite number of at least 1, was 0.5");
    assertThatThrownBy(() -> RetryConfig.builder().exponentialBackoff(Double.NaN, Duration.ofSeconds(1)).build())
        .hasMessageContaining("exponentialBackoff multiplier must be a finite number of at least 1, was NaN");
  }

  @Test
  void rejectsABackoffCapBelowWaitDuration() {
    assertThatThrownBy(() -> RetryConfig.builder().waitDuration(Duration.ofSeconds(2))
            .exponentialBackoff(2, Duration.ofSeconds(1)).build())
        .hasMessage("Invalid RetryConfig: exponentialBackoff maxWaitDuration must be at least waitDuration PT2S, was PT1S");
  }

  @Test
  void rejectsDecorrelatedJitterWithoutBackoff() {
    assertThatThrownBy(() -> RetryConfig.builder().jitter(RetryConfig.Jitter.DECORRELATED).build())
        .hasMessage("Invalid RetryConfig: jitter DECORRELATED needs exponentialBackoff(multiplier, maxWaitDuration) "
            + "for its growth and cap");
  }

  @Test
  void rejectsANegativeMaxDuration() {
    assertThatThrownBy(() -> RetryConfig.builder().maxDuration(Duration.ofSeconds(-1)).build())
        .hasMessage("Invalid RetryConfig: maxDuration must not be negative, was PT-1S");
  }

  @Test
  void reportsEveryViolationAtOnce() {
    assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(-2).waitDuration(Duration.ofSeconds(-1))
            .maxDuration(Duration.ofSeconds(-3)).build())
        .hasMessage("Invalid RetryConfig (3 problems): maxAttempts must be at least 1, was -2; "
            + "waitDuration must not be negative, was PT-1S; maxDuration must not be negative, was PT-3S");
  }

  @Test
  void rejectsNullsNamingTheOption() {
    RetryConfig.Builder b = RetryConfig.builder();
    assertThatThrownBy(() -> b.waitDuration(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("waitDuration must not be null");
    assertThatThrownBy(() -> b.exponentialBackoff(2, null))
        .hasMessage("exponentialBackoff maxWaitDuration must not be null");
    assertThatThrownBy(() -> b.jitter(null)).hasMessage("jitter must not be null");
    assertThatThrownBy(() -> b.maxDuration(null)).hasMessage("maxDuration must not be null");
    assertThatThrownBy(() -> b.retryExceptions((Class<? extends Throwable>[]) null))
        .hasMessage("retryExceptions must not be null");
    assertThatThrownBy(() -> b.ignoreExceptions(IOException.class, null))
        .hasMessage("ignoreExceptions must not contain null, found one at index 1");
    assertThatThrownBy(() -> b.retryOnException(null)).hasMessage("retryOnException predicate must not be null");
    assertThatThrownBy(() -> b.retryOnResult(null)).hasMessage("retryOnResult predicate must not be null");
    assertThatThrownBy(() -> b.retryAfterFromException(null))
        .hasMessage("retryAfterFromException extractor must not be null");
    assertThatThrownBy(() -> b.retryAfterFromResult(null)).hasMessage("retryAfterFromResult extractor must not be null");
    assertThatThrownBy(() -> b.retryBudget(null)).hasMessage("retryBudget must not be null");
    assertThatThrownBy(() -> b.random(null)).hasMessage("random must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.sleeper(null)).hasMessage("sleeper must not be null");
    assertThatThrownBy(() -> b.scheduler(null)).hasMessage("scheduler must not be null");
  }

  @Test
  void listsAreCopiedSoLaterChangesToTheArrayDoNotLeakIn() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<? extends Throwable>[] types = new Class[] {IOException.class};
    RetryConfig config = RetryConfig.builder().retryExceptions(types).build();
    types[0] = Error.class;
    assertThat(config.retryExceptions()).containsExactly(IOException.class);
  }
}
