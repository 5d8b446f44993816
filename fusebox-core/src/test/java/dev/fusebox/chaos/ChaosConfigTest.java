package dev.fusebox.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Scheduler;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChaosConfigTest {

  @Test
  void defaultsInjectNothing() {
    ChaosConfig c = ChaosConfig.ofDefaults();
    ChaosSettings s = c.initialSettings();
    assertThat(s.enabled()).isTrue();
    assertThat(s.faultRate()).isZero();
    assertThat(s.resultRate()).isZero();
    assertThat(s.latencyRate()).isZero();
    assertThat(s.latency()).isEqualTo(Duration.ZERO);
    assertThat(s.fault()).isEmpty();
    assertThat(s.result()).isEmpty();
    assertThat(c.random()).isEmpty();
    assertThat(c.scheduler()).isSameAs(Scheduler.system());
  }

  @Test
  void toBuilderKeepsEveryOption() {
    ChaosConfig original = ChaosConfig.builder().enabled(false).faultRate(0.1).fault(IllegalStateException::new)
        .resultRate(0.2).result(() -> 500).latencyRate(0.3).latency(Duration.ofMillis(40))
        .random(new Random(1)).sleeper(n -> { }).scheduler((t, d) -> null).build();
    assertThat(original.toBuilder().build()).usingRecursiveComparison().isEqualTo(original);
  }

  @Test
  void rejectsRatesOutsideZeroToOne() {
    assertThatThrownBy(() -> ChaosConfig.builder().faultRate(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid ChaosConfig: faultRate must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> ChaosConfig.builder().latencyRate(-0.1).build())
        .hasMessage("Invalid ChaosConfig: latencyRate must be in [0, 1], was -0.1");
    assertThatThrownBy(() -> ChaosConfig.builder().resultRate(Double.NaN).result(() -> 1).build())
        .hasMessage("Invalid ChaosConfig: resultRate must be in [0, 1], was NaN");
  }

  @Test
  void rejectsANegativeLatency() {
    assertThatThrownBy(() -> ChaosConfig.builder().latency(Duration.ofMillis(-1)).build())
        .hasMessage("Invalid ChaosConfig: latency must not be negative, was PT-0.001S");
  }

  @Test
  void rejectsAResultRateWithoutAResult() {
    assertThatThrownBy(() -> ChaosConfig.builder().resultRate(0.5).build())
        .hasMessage("Invalid ChaosConfig: resultRate 0.5 needs a result to inject: set one with result(Supplier)");
  }

  @Test
  void reportsEveryViolationAtOnce() {
    assertThatThrownBy(() -> ChaosConfig.builder().faultRate(2).resultRate(3).latency(Duration.ofSeconds(-1)).build())
        .hasMessage("Invalid ChaosConfig (4 problems): faultRate must be in [0, 1], was 2.0; "
            + "resultRate must be in [0, 1], was 3.0; latency must not be negative, was PT-1S; "
            + "resultRate 3.0 needs a result to inject: set one with result(Supplier)");
  }

  @Test
  void rejectsNullsNamingTheOption() {
    ChaosConfig.Builder b = ChaosConfig.builder();
    assertThatThrownBy(() -> b.fault(null)).isInstanceOf(NullPointerException.class).hasMessage("fault must not be null");
    assertThatThrownBy(() -> b.result(null)).hasMessage("result must not be null");
    assertThatThrownBy(() -> b.latency(null)).hasMessage("latency must not be null");
    assertThatThrownBy(() -> b.random(null)).hasMessage("random must not be null");
    assertThatThrownBy(() -> b.sleeper(null)).hasMessage("sleeper must not be null");
    assertThatThrownBy(() -> b.scheduler(null)).hasMessage("scheduler must not be null");
  }

  @Test
  void settingsWithersValidateAndNeverChangeTheOriginal() {
    ChaosSettings none = ChaosSettings.none();
    ChaosSettings faulty = none.withFaultRate(0.25);
    assertThat(faulty.faultRate()).isEqualTo(0.25);
    assertThat(none.faultRate()).isZero();
    assertThatThrownBy(() -> none.withFaultRate(1.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid ChaosSettings: faultRate must be in [0, 1], was 1.01");
    assertThatThrownBy(() -> none.withResultRate(0.1))
        .hasMessage("Invalid ChaosSettings: resultRate 0.1 needs a result to inject: set one with result(Supplier)");
    assertThatThrownBy(() -> none.withLatency(0.5, Duration.ofSeconds(-2)))
        .hasMessage("Invalid ChaosSettings: latency must not be negative, was PT-2S");
    assertThatThrownBy(() -> none.withLatency(0.5, null)).hasMessage("latency must not be null");
    assertThatThrownBy(() -> none.withFault(0.5, null)).hasMessage("fault must not be null");
    assertThatThrownBy(() -> none.withResult(0.5, null)).hasMessage("result must not be null");
  }

  @Test
  void outageSlowdownAndHealthyAreOneStepEach() {
    ChaosSettings disabled = ChaosSettings.none().withEnabled(false).withResult(0.3, () -> 503);
    ChaosSettings outage = disabled.outage();
    assertThat(outage.enabled()).isTrue();
    assertThat(outage.faultRate()).isEqualTo(1);
    ChaosSettings slow = disabled.slowdown(Duration.ofSeconds(2));
    assertThat(slow.enabled()).isTrue();
    assertThat(slow.latencyRate()).isEqualTo(1);
    assertThat(slow.latency()).isEqualTo(Duration.ofSeconds(2));
    ChaosSettings healthy = outage.slowdown(Duration.ofSeconds(2)).healthy();
    assertThat(healthy.faultRate()).isZero();
    assertThat(healthy.resultRate()).isZero();
    assertThat(healthy.latencyRate()).isZero();
    assertThat(healthy.latency()).isEqualTo(Duration.ofSeconds(2));
    assertThat(healthy.result()).isPresent();
  }
}
