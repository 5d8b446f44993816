package dev.fusebox.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Ticker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventLoggerConfigTest {

  @Test
  void defaultsLogToTheFuseboxLoggerEveryTenSecondsAtMost() {
    EventLoggerConfig config = EventLoggerConfig.ofDefaults();
    assertThat(config.logger().getName()).isEqualTo("dev.fusebox.circuitbreaker");
    assertThat(config.rejectionLogPeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.ticker()).isSameAs(Ticker.coarse());
  }

  @Test
  void toBuilderKeepsEveryOption() {
    CapturingLogger logger = new CapturingLogger();
    ManualTicker ticker = new ManualTicker();
    EventLoggerConfig config =
        EventLoggerConfig.builder().logger(logger).ticker(ticker).rejectionLogPeriod(Duration.ofMinutes(1)).build();
    EventLoggerConfig copy = config.toBuilder().build();
    assertThat(copy.logger()).isSameAs(logger);
    assertThat(copy.ticker()).isSameAs(ticker);
    assertThat(copy.rejectionLogPeriod()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void rejectionLogPeriodMustBePositive() {
    assertThatThrownBy(() -> EventLoggerConfig.builder().rejectionLogPeriod(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid EventLoggerConfig: rejectionLogPeriod must be positive, was PT0S");
    assertThatThrownBy(() -> EventLoggerConfig.builder().rejectionLogPeriod(Duration.ofSeconds(-1)).build())
        .hasMessage("Invalid EventLoggerConfig: rejectionLogPeriod must be positive, was PT-1S");
  }

  @Test
  void rejectionLogPeriodMustFitNanoseconds() {
    assertThatThrownBy(() -> EventLoggerConfig.builder().rejectionLogPeriod(Duration.ofDays(365 * 300)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid EventLoggerConfig: rejectionLogPeriod must be at most");
  }

  @Test
  void nullsAreRejectedAtOnceNamingTheOption() {
    assertThatThrownBy(() -> EventLoggerConfig.builder().logger(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("logger must not be null");
    assertThatThrownBy(() -> EventLoggerConfig.builder().ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> EventLoggerConfig.builder().rejectionLogPeriod(null))
        .hasMessage("rejectionLogPeriod must not be null");
  }
}
