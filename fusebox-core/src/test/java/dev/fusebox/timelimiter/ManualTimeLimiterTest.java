package dev.fusebox.timelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Outcomes of calls whose timeout the caller enforces: counted and published as the limiter's own. */
class ManualTimeLimiterTest {

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
  private final List<TimeLimiterEvent> events = new ArrayList<>();
  private final TimeLimiter limiter = TimeLimiter.of("manual",
      TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(250)).scheduler(scheduler).build());

  {
    limiter.onEvent(events::add);
  }

  @Test
  void countsASuccessAndAFailureAndPublishesThem() {
    IllegalStateException failure = new IllegalStateException("boom");

    limiter.onSuccess();
    limiter.onError(failure);

    assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(1);
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isZero();
    assertThat(events).extracting(TimeLimiterEvent::type)
        .containsExactly(TimeLimiterEvent.Type.SUCCESS, TimeLimiterEvent.Type.ERROR);
    assertThat(((TimeLimiterEvent.Failure) events.get(1)).error()).isSameAs(failure);
  }

  @Test
  void aTimeoutIsCountedAndItsExceptionMatchesTheAsynchronousForms() {
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> timed = limiter.executeCompletionStage(() -> never).toCompletableFuture();
    scheduler.advance(Duration.ofMillis(250));
    Throwable asynchronous = ((CompletionException) catchThrowable(timed::join))
        .getCause();

    TimeoutException manual = limiter.onTimeout(false);

    assertThat(manual).isInstanceOf(TimeoutException.class).hasMessage(asynchronous.getMessage());
    assertThat(manual.getMessage()).isEqualTo("TimeLimiter 'manual' timed out after 250 ms");
    assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(2);
    assertThat(events).last().isInstanceOfSatisfying(TimeLimiterEvent.Timeout.class,
        timeout -> assertThat(timeout.cancelled()).isFalse());
  }

  @Test
  void eachTimeoutGetsItsOwnException() {
    assertThat(limiter.onTimeout(true)).isNotSameAs(limiter.onTimeout(true));
  }

  @Test
  void refusesANullError() {
    assertThatThrownBy(() -> limiter.onError(null))
        .isInstanceOf(NullPointerException.class).hasMessage("error must not be null");
  }
}
