package dev.fusebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.testsupport.Poll;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's story with the health probe (issue 17): after an outage the probe sees the upstream back within
 * its interval and lets trials through, so the breaker closes long before its open wait (a minute here) is
 * over; during the outage its probes fail and the breaker stays open.
 */
class DemoProbeTest {

  @Test
  void theProbeClosesTheBreakerSoonerThanTheWaitWould() throws Exception {
    Options options = Options.parse("--rate", "20", "--timeout", "1s", "--no-story");
    options.port = 0;
    options.hangFor = Duration.ofSeconds(1);
    options.breakerWait = Duration.ofMinutes(1);
    options.breakerWaitMax = Duration.ofMinutes(1);
    options.recoveryRamp = Duration.ZERO;
    options.probeInterval = Duration.ofMillis(200);
    options.console = false;
    try (DemoApp app = new DemoApp(options, List.of(), false, null)) {
      app.apply("healthy");
      app.start();
      CircuitBreaker breaker = app.policies.breakers.circuitBreaker(Policies.NAME);

      app.apply("outage");
      Poll.until(Duration.ofSeconds(30), "the breaker opens in the outage",
          () -> breaker.state() == CircuitBreaker.State.OPEN);
      Poll.until(Duration.ofSeconds(10), "a failed probe while the outage lasts",
          () -> breaker.metrics().totalFailedProbes() > 0);
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

      app.apply("healthy");
      // Within 20 s of a minute's wait: only a probe can have let the trials through.
      Poll.until(Duration.ofSeconds(20), "the breaker closes after the upstream is back",
          () -> breaker.state() == CircuitBreaker.State.CLOSED);
      assertThat(breaker.metrics().totalSuccessfulProbes()).isPositive();
    }
  }
}
