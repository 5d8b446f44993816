package dev.fusebox.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestNotPermittedExceptionTest {

  @Test
  void anIntegrationsRefusalReadsLikeTheLimitersOwnAndHasNoStackTrace() {
    RateLimiter limiter = RateLimiter.of("partner", RateLimiterConfig.builder()
        .limitForPeriod(1).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO)
        .ticker(new ManualTicker()).build());
    limiter.acquirePermission();
    RequestNotPermittedException own =
        catchThrowableOfType(RequestNotPermittedException.class, limiter::acquirePermission);

    RequestNotPermittedException made = RequestNotPermittedException.of("partner");

    assertThat(made).hasMessage(own.getMessage());
    assertThat(made.rateLimiterName()).isEqualTo("partner");
    assertThat(made.interrupted()).isFalse();
    assertThat(made.getStackTrace()).isEmpty();
  }

  @Test
  void refusesANullName() {
    assertThatThrownBy(() -> RequestNotPermittedException.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("rateLimiterName must not be null");
  }
}
