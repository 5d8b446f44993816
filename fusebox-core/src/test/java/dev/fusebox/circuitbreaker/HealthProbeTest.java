package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HealthProbeTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  /** A check that fails a given number of times, then succeeds; counts its calls. */
  static final class Check implements Callable<String> {
    final AtomicInteger calls = new AtomicInteger();
    volatile int failuresLeft;

    Check(int failures) {
      this.failuresLeft = failures;
    }

    @Override
    public String call() throws IOException {
      calls.incrementAndGet();
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new IOException("still down");
      }
      return "pong";
    }
  }

  private static CircuitBreaker breaker(ManualScheduler scheduler, HealthProbe probe) {
    return CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
        .ticker(scheduler.ticker())
        .scheduler(scheduler)
        .waitDurationInOpenState(WAIT)
        .permittedNumberOfCallsInHalfOpenState(2)
        .healthProbe(probe)
        .build());
  }

  private static HealthProbe.Builder probe(Callable<?> check) {
    return HealthProbe.of(check).interval(INTERVAL).executor(Runnable::run);
  }

  @ParameterizedTest
  @ValueSource(longs = {0L, Long.MAX_VALUE - 1_000_000_000L, Long.MIN_VALUE + 1})
  void whileOpenTheFirstSuccessfulProbeMovesToHalfOpenLongBeforeTheWaitIsOver(long origin) {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker(origin));
    Check check = new Check(2);
    CircuitBreaker breaker = breaker(scheduler, probe(check).build());
    List<CircuitBreakerEvent.Probe> probes = new ArrayList<>();
    breaker.onEvent(EnumSet.of(CircuitBreakerEvent.Type.PROBE), e -> probes.add((CircuitBreakerEvent.Probe) e));

    breaker.transitionToOpenState();
    scheduler.advance(INTERVAL.multipliedBy(2));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(check.calls).hasValue(2);

    scheduler.advance(INTERVAL);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(check.calls).hasValue(3);
    assertThat(breaker.metrics().totalFailedProbes()).isEqualTo(2);
    assertThat(breaker.metrics().totalSuccessfulProbes()).isEqualTo(1);
    assertThat(probes).extracting(CircuitBreakerEvent.Probe::succeeded).containsExactly(false, false, true);
    assertThat(probes).extracting(CircuitBreakerEvent.Probe::state).containsOnly(State.OPEN);
    assertThat(probes.get(0).error()).isInstanceOf(IOException.class);
    // Real calls are the trials: none was taken by the probe.
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
  }

  @Test
  void noProbeRunsWhileHalfOpenNorWhileClosedUnlessProbesMayOpen() {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    Check check = new Check(0);
    CircuitBreaker breaker = breaker(scheduler, probe(check).build());

    scheduler.advance(Duration.ofMinutes(5));
    assertThat(check.calls).hasValue(0);

    breaker.transitionToHalfOpenState();
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(check.calls).hasValue(0);

    breaker.transitionToForcedOpenState();
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(check.calls).hasValue(0);
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
  }

  @Test
  void whileClosedFailedProbesInARowOpenTheBreakerAndASuccessStartsTheCountAgain() {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    Check check = new Check(2);
    CircuitBreaker breaker = breaker(scheduler, probe(check).failuresToOpen(3).build());

    scheduler.advance(INTERVAL.multipliedBy(3)); // fail, fail, succeed
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    check.failuresLeft = 3;
    scheduler.advance(INTERVAL.multipliedBy(2));
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    scheduler.advance(INTERVAL);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.metrics().totalFailedProbes()).isEqualTo(5);
  }

  @Test
  void aProbeThatRunsOutOfTimeCountsAsFailedAndNoOtherStartsBeforeItReturns() {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    List<CompletableFuture<String>> started = new ArrayList<>();
    HealthProbe probe = HealthProbe.ofAsync(() -> {
      CompletableFuture<String> check = new CompletableFuture<>();
      started.add(check);
      return check;
    }).interval(INTERVAL).timeout(Duration.ofSeconds(2)).build();
    CircuitBreaker breaker = breaker(scheduler, probe);
    List<CircuitBreakerEvent.Probe> probes = new ArrayList<>();
    breaker.onEvent(EnumSet.of(CircuitBreakerEvent.Type.PROBE), e -> probes.add((CircuitBreakerEvent.Probe) e));
    breaker.transitionToOpenState();

    scheduler.advance(INTERVAL);
    assertThat(started).hasSize(1);
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(breaker.metrics().totalFailedProbes()).isEqualTo(1);
    assertThat(probes).singleElement().satisfies(p -> {
      assertThat(p.error()).isInstanceOf(TimeoutException.class);
      assertThat(p.elapsed()).isEqualTo(Duration.ofSeconds(2));
    });

    scheduler.advance(INTERVAL.multipliedBy(4));
    assertThat(started).as("one probe in flight at most").hasSize(1);

    started.get(0).complete("late");
    assertThat(breaker.state()).as("a verdict already given is not given again").isEqualTo(State.OPEN);
    scheduler.advance(INTERVAL);
    assertThat(started).hasSize(2);
    started.get(1).complete("pong");
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void aVerdictArrivingAfterTheBreakerMovedOnMovesNothing() {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    List<CompletableFuture<String>> started = new ArrayList<>();
    CircuitBreaker breaker = breaker(scheduler, HealthProbe.ofAsync(() -> {
      CompletableFuture<String> check = new CompletableFuture<>();
      started.add(check);
      return check;
    }).interval(INTERVAL).timeout(Duration.ofMinutes(1)).build());
    breaker.transitionToOpenState();
    scheduler.advance(INTERVAL);
    assertThat(started).hasSize(1);

    breaker.transitionToClosedState();
    started.get(0).complete("pong");

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().totalSuccessfulProbes()).isEqualTo(1);
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(started).as("no probe while closed").hasSize(1);
  }

  @Test
  void theNextOpeningProbesAgain() {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    Check check = new Check(0);
    CircuitBreaker breaker = breaker(scheduler, probe(check).build());

    breaker.transitionToOpenState();
    scheduler.advance(INTERVAL);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    for (int trial = 0; trial < 2; trial++) {
      assertThat(breaker.tryAcquirePermission()).isTrue();
      breaker.onError(0, new IOException("trial failed"));
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    scheduler.advance(INTERVAL);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(check.calls).hasValue(2);
  }

  @Test
  void aBlockingCheckRunsOnADaemonThreadOfItsOwnNeverOnTheCallersOrTheSchedulers() throws Exception {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    CircuitBreaker breaker = breaker(scheduler, HealthProbe.of(() -> {
      ranOn.set(Thread.currentThread());
      ran.countDown();
      return "pong";
    }).interval(INTERVAL).build());
    breaker.transitionToOpenState();

    scheduler.advance(INTERVAL);

    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    assertThat(ranOn.get().isDaemon()).isTrue();
    assertThat(ranOn.get().getName()).isEqualTo("fusebox-health-probe");
  }

  @Test
  void aThrowingListenerNeverStopsTheProbeFromMovingTheBreaker() {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    CircuitBreaker breaker = breaker(scheduler, probe(new Check(0)).build());
    breaker.onEvent(EnumSet.of(CircuitBreakerEvent.Type.PROBE), e -> {
      throw new StackOverflowError("listener");
    });
    breaker.transitionToOpenState();

    scheduler.advance(INTERVAL);

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void badOptionsAreRefusedNamingTheOptionAndTheValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> HealthProbe.of(() -> "pong").interval(Duration.ZERO).build())
        .withMessageContaining("interval").withMessageContaining("PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> HealthProbe.of(() -> "pong").timeout(Duration.ofSeconds(-1)).build())
        .withMessageContaining("timeout").withMessageContaining("PT-1S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> HealthProbe.of(() -> "pong").failuresToOpen(-1).build())
        .withMessageContaining("failuresToOpen").withMessageContaining("-1");
    assertThatNullPointerException().isThrownBy(() -> HealthProbe.of(null)).withMessageContaining("check");
    assertThatNullPointerException().isThrownBy(() -> HealthProbe.ofAsync(null)).withMessageContaining("check");
    assertThatNullPointerException()
        .isThrownBy(() -> CircuitBreakerConfig.builder().healthProbe(null))
        .withMessageContaining("healthProbe");
  }

  @Test
  void theConfigurationShowsItsProbe() {
    HealthProbe probe = HealthProbe.of(() -> "pong").interval(INTERVAL).failuresToOpen(2).build();
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().healthProbe(probe).build();

    assertThat(config.healthProbe()).containsSame(probe);
    assertThat(config.toBuilder().build().healthProbe()).containsSame(probe);
    assertThat(probe.timeout()).isEqualTo(INTERVAL);
    assertThat(CircuitBreakerConfig.ofDefaults().healthProbe()).isEmpty();
  }
}
