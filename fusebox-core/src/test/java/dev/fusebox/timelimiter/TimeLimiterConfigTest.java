package dev.fusebox.timelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Scheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class TimeLimiterConfigTest {

  @Test
  void defaultsAreOneSecondAndCancelling() {
    TimeLimiterConfig c = TimeLimiterConfig.ofDefaults();
    assertThat(c.timeoutDuration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.cancelRunningFuture()).isTrue();
    assertThat(c.scheduler()).isSameAs(Scheduler.system());
    assertThat(c.executor()).isEmpty();
  }

  @Test
  void toBuilderKeepsEveryOption() {
    Executor executor = Runnable::run;
    Scheduler scheduler = (task, delay) -> null;
    TimeLimiterConfig original = TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(250))
        .cancelRunningFuture(false).scheduler(scheduler).executor(executor).build();
    TimeLimiterConfig copy = original.toBuilder().build();
    assertThat(copy).usingRecursiveComparison().isEqualTo(original);
    assertThat(copy.executor()).containsSame(executor);
  }

  @Test
  void rejectsAZeroOrNegativeTimeout() {
    assertThatThrownBy(() -> TimeLimiterConfig.builder().timeoutDuration(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid TimeLimiterConfig: timeoutDuration must be positive, was PT0S");
    assertThatThrownBy(() -> TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(-5)).build())
        .hasMessage("Invalid TimeLimiterConfig: timeoutDuration must be positive, was PT-0.005S");
  }

  @Test
  void rejectsATimeoutBeyondLongNanos() {
    assertThatThrownBy(() -> TimeLimiterConfig.builder().timeoutDuration(Duration.ofDays(200_000)).build())
        .hasMessage("Invalid TimeLimiterConfig: timeoutDuration must be at most PT2562047H47M16.854775807S, "
            + "was PT4800000H");
  }

  @Test
  void rejectsNullsNamingTheOption() {
    TimeLimiterConfig.Builder b = TimeLimiterConfig.builder();
    assertThatThrownBy(() -> b.timeoutDuration(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("timeoutDuration must not be null");
    assertThatThrownBy(() -> b.scheduler(null)).hasMessage("scheduler must not be null");
    assertThatThrownBy(() -> b.executor(null)).hasMessage("executor must not be null");
  }
}
