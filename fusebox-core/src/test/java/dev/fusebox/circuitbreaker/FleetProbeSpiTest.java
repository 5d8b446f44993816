package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.spi.BreakerCoordinator;
import dev.fusebox.circuitbreaker.spi.SharedBreakerControl;
import dev.fusebox.circuitbreaker.spi.TrialGate;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 part 1, "one instance probes for the fleet", as the SPI gives it to a coordinator: the gate says
 * whether this instance probes, hears of a probe's success, and the control lets an opening the fleet ended
 * move to half-open, and nothing else.
 */
class FleetProbeSpiTest {

  /** A gate of a fleet member; the test says whether it is the prober. */
  static final class Member implements TrialGate {
    final AtomicBoolean prober = new AtomicBoolean();
    final AtomicInteger successes = new AtomicInteger();

    @Override
    public boolean tryAcquireTrial() {
      return true;
    }

    @Override
    public void releaseTrial() {}

    @Override
    public void trialFinished(boolean failed, boolean slow) {}

    @Override
    public boolean probes() {
      return prober.get();
    }

    @Override
    public void probeSucceeded() {
      successes.incrementAndGet();
    }
  }

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
  private final Member member = new Member();
  private final AtomicReference<SharedBreakerControl> control = new AtomicReference<>();
  private final AtomicInteger probes = new AtomicInteger();
  private volatile boolean down = true;

  private CircuitBreaker breaker() {
    BreakerCoordinator coordinator = new BreakerCoordinator() {
      @Override
      public TrialGate attach(SharedBreakerControl c) {
        control.set(c);
        return member;
      }

      @Override
      public void detach(SharedBreakerControl c) {}
    };
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .ticker(scheduler.ticker())
        .scheduler(scheduler)
        .countBasedWindow(1)
        .waitDurationInOpenState(Duration.ofMinutes(1))
        .healthProbe(HealthProbe.of(() -> {
          probes.incrementAndGet();
          if (down) {
            throw new IOException("down");
          }
          return "pong";
        }).interval(Duration.ofSeconds(1)).executor(Runnable::run).build())
        .build();
    return CircuitBreakerRegistry.coordinated(config, coordinator).circuitBreaker("inventory");
  }

  @Test
  void onlyTheProberProbesAndItsSuccessIsReported() {
    CircuitBreaker breaker = breaker();
    breaker.onError(1, new IllegalStateException("down"));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(probes).as("another instance probes for this one").hasValue(0);
    assertThat(breaker.metrics().totalFailedProbes()).isZero();

    member.prober.set(true);
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(probes).hasValue(2);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    down = false;
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(member.successes).hasValue(1);
  }

  @Test
  void theControlMovesOnlyAnAutomaticOpeningToHalfOpen() {
    CircuitBreaker breaker = breaker();
    assertThat(control.get().halfOpen()).as("closed: nothing to shorten").isFalse();
    breaker.onError(1, new IllegalStateException("down"));
    assertThat(control.get().halfOpen()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(control.get().halfOpen()).isFalse();
    breaker.transitionToForcedOpenState();
    assertThat(control.get().halfOpen()).as("an operator's forced opening stays").isFalse();
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
    assertThat(member.successes).as("no probe ran").hasValue(0);
  }
}
