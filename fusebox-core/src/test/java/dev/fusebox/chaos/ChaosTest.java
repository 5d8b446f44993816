package dev.fusebox.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChaosTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualSleeper sleeper = new ManualSleeper(ticker);
  private final List<ChaosEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger realCalls = new AtomicInteger();
  private final Supplier<String> real = () -> "real " + realCalls.incrementAndGet();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private Chaos chaos(ChaosConfig.Builder config) {
    Chaos chaos = Chaos.of("inventory", config.sleeper(sleeper).build());
    chaos.onEvent(events::add);
    return chaos;
  }

  @Test
  void theDefaultPolicyLeavesEveryCallAlone() {
    Chaos chaos = chaos(ChaosConfig.builder());
    for (int i = 0; i < 10; i++) {
      chaos.executeSupplier(real);
    }
    assertThat(realCalls).hasValue(10);
    assertThat(events).isEmpty();
    assertThat(chaos.metrics().numberOfCalls()).isEqualTo(10);
    assertThat(chaos.metrics().numberOfInjectedFaults()).isZero();
  }

  @Test
  void aFaultRateOfOneFailsEveryCallWithoutRunningIt() {
    Chaos chaos = chaos(ChaosConfig.builder().faultRate(1));
    Throwable thrown = catchThrowable(() -> chaos.executeSupplier(real));
    assertThat(thrown).isInstanceOfSatisfying(InjectedFaultException.class,
        e -> assertThat(e.chaosName()).isEqualTo("inventory"))
        .hasMessage("Chaos 'inventory' injected a fault");
    assertThat(thrown.getStackTrace()).isEmpty();
    assertThat(realCalls).hasValue(0);
    assertThat(events).singleElement().isInstanceOfSatisfying(ChaosEvent.FaultInjected.class,
        e -> assertThat(e.fault()).isSameAs(thrown));
    assertThat(chaos.metrics().numberOfInjectedFaults()).isEqualTo(1);
  }

  @Test
  void injectsTheConfiguredFaultEvenWhenChecked() {
    Chaos chaos = chaos(ChaosConfig.builder().faultRate(1).fault(() -> new IOException("injected io")));
    assertThat(catchThrowable(() -> chaos.executeCallable(() -> "x"))).isInstanceOf(IOException.class)
        .hasMessage("injected io");
    assertThat(catchThrowable(() -> chaos.executeSupplier(real))).isInstanceOf(IOException.class);
  }

  @Test
  void aResultRateOfOneAnswersWithTheInjectedResult() {
    Chaos chaos = chaos(ChaosConfig.builder().resultRate(1).result(() -> "HTTP 500"));
    assertThat(chaos.executeSupplier(real)).isEqualTo("HTTP 500");
    assertThat(chaos.decorateFunction((String s) -> s.toUpperCase()).apply("abc")).isEqualTo("HTTP 500");
    assertThat(realCalls).hasValue(0);
    assertThat(chaos.metrics().numberOfInjectedResults()).isEqualTo(2);
    assertThat(events).allSatisfy(e -> assertThat(e).isInstanceOf(ChaosEvent.ResultInjected.class));
  }

  @Test
  void aRunnableGetsFaultsAndLatencyButNoResult() {
    Chaos chaos = chaos(ChaosConfig.builder().resultRate(1).result(() -> "ignored"));
    AtomicInteger runs = new AtomicInteger();
    chaos.executeRunnable(runs::incrementAndGet);
    assertThat(runs).hasValue(1);
  }

  @Test
  void injectsLatencyThroughTheSleeperBeforeRunningTheCall() {
    Chaos chaos = chaos(ChaosConfig.builder().latencyRate(1).latency(Duration.ofMillis(750)));
    assertThat(chaos.executeSupplier(real)).isEqualTo("real 1");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(750));
    assertThat(events).singleElement().isInstanceOfSatisfying(ChaosEvent.LatencyInjected.class,
        e -> assertThat(e.latency()).isEqualTo(Duration.ofMillis(750)));
  }

  @Test
  void latencyComesBeforeAFault() {
    Chaos chaos = chaos(ChaosConfig.builder().latencyRate(1).latency(Duration.ofSeconds(1)).faultRate(1));
    assertThatThrownBy(() -> chaos.executeSupplier(real)).isInstanceOf(InjectedFaultException.class);
    assertThat(ticker.nanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(events).extracting(ChaosEvent::type)
        .containsExactly(ChaosEvent.Type.LATENCY_INJECTED, ChaosEvent.Type.FAULT_INJECTED);
  }

  @Test
  void aSeededRandomDecidesExactlyWhichCallsFail() {
    Chaos chaos = chaos(ChaosConfig.builder().faultRate(0.3).random(new Random(2024)));
    Random same = new Random(2024);
    for (int i = 0; i < 1_000; i++) {
      boolean expectFault = same.nextDouble() < 0.3;
      Throwable thrown = catchThrowable(() -> chaos.executeSupplier(real));
      assertThat(thrown != null).as("call %d", i).isEqualTo(expectFault);
    }
    long faults = chaos.metrics().numberOfInjectedFaults();
    assertThat(faults).isBetween(250L, 350L);
    assertThat(realCalls.get()).isEqualTo(1_000 - (int) faults);
  }

  @Test
  void disablingPassesCallsThroughAndEnablingResumesWithTheSameRates() {
    Chaos chaos = chaos(ChaosConfig.builder().faultRate(1));
    chaos.disable();
    assertThat(chaos.settings().enabled()).isFalse();
    assertThat(chaos.executeSupplier(real)).isEqualTo("real 1");
    chaos.enable();
    assertThat(chaos.settings().faultRate()).isEqualTo(1);
    assertThatThrownBy(() -> chaos.executeSupplier(real)).isInstanceOf(InjectedFaultException.class);
  }

  @Test
  void anUpdateTakesEffectOnTheNextCall() {
    Chaos chaos = chaos(ChaosConfig.builder());
    assertThat(chaos.executeSupplier(real)).isEqualTo("real 1");
    ChaosSettings now = chaos.update(ChaosSettings::outage);
    assertThat(chaos.settings()).isSameAs(now);
    assertThatThrownBy(() -> chaos.executeSupplier(real)).isInstanceOf(InjectedFaultException.class);
    chaos.set(ChaosSettings.none());
    assertThat(chaos.executeSupplier(real)).isEqualTo("real 2");
  }

  @Test
  void anInvalidUpdateChangesNothing() {
    Chaos chaos = chaos(ChaosConfig.builder().faultRate(0.1));
    ChaosSettings before = chaos.settings();
    assertThatThrownBy(() -> chaos.update(s -> s.withFaultRate(7))).isInstanceOf(IllegalArgumentException.class);
    assertThat(chaos.settings()).isSameAs(before);
    assertThatThrownBy(() -> chaos.update(s -> null)).hasMessage("update must not return null");
    assertThatThrownBy(() -> chaos.set(null)).hasMessage("settings must not be null");
  }

  @Test
  void concurrentUpdatesAreNeverLost() throws Exception {
    Chaos chaos = chaos(ChaosConfig.builder());
    int threads = 4;
    int updates = 500;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < updates; i++) {
            chaos.update(s -> s.withLatency(s.latencyRate(), s.latency().plusMillis(1)));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(chaos.settings().latency()).isEqualTo(Duration.ofMillis(threads * updates));
  }

  @Test
  void aCallNeverSeesHalfOfAChange() throws Exception {
    // Two settings with nothing in common: every call must be failed (A) or answered "B" (B), never real.
    ChaosSettings a = ChaosSettings.none().withFaultRate(1);
    ChaosSettings b = ChaosSettings.none().withResult(1, () -> "B");
    Chaos chaos = chaos(ChaosConfig.builder());
    chaos.set(a);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CyclicBarrier start = new CyclicBarrier(2);
      Future<?> flipper = pool.submit(() -> {
        start.await();
        for (int i = 0; i < 20_000; i++) {
          chaos.update(s -> s.faultRate() == 1 ? b : a);
        }
        stop.set(true);
        return null;
      });
      Future<Integer> caller = pool.submit(() -> {
        start.await();
        int calls = 0;
        while (!stop.get()) {
          Throwable thrown = catchThrowable(() -> {
            String answer = chaos.executeSupplier(real);
            assertThat(answer).isEqualTo("B");
          });
          if (thrown != null) {
            assertThat(thrown).isInstanceOf(InjectedFaultException.class);
          }
          calls++;
        }
        return calls;
      });
      flipper.get(30, TimeUnit.SECONDS);
      assertThat(caller.get(30, TimeUnit.SECONDS)).isPositive();
    } finally {
      pool.shutdownNow();
    }
    assertThat(realCalls).hasValue(0);
  }

  @Test
  void anInterruptDuringInjectedLatencyEndsTheCall() {
    Chaos chaos = Chaos.of("interrupted", ChaosConfig.builder().latencyRate(1).latency(Duration.ofSeconds(1))
        .sleeper(nanos -> {
          throw new InterruptedException("woken");
        }).build());
    Throwable thrown = catchThrowable(() -> chaos.executeSupplier(real));
    assertThat(thrown).isInstanceOf(CancellationException.class)
        .hasMessage("Chaos 'interrupted': interrupted during injected latency")
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(catchThrowable(() -> chaos.executeCallable(() -> "x"))).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(realCalls).hasValue(0);
  }

  @Test
  void theCallsOwnExceptionsPassThroughUnchanged() {
    Chaos chaos = chaos(ChaosConfig.builder());
    IOException io = new IOException("real failure");
    assertThat(catchThrowable(() -> chaos.executeCallable(() -> {
      throw io;
    }))).isSameAs(io);
    chaos.disable();
    IllegalStateException state = new IllegalStateException();
    assertThat(catchThrowable(() -> chaos.decorateSupplier(() -> {
      throw state;
    }).get())).isSameAs(state);
  }

  @Test
  void rejectsABlankName() {
    assertThatThrownBy(() -> Chaos.of(" ", ChaosConfig.ofDefaults())).hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Chaos.of("x", null)).hasMessage("config must not be null");
  }
}
