package dev.fusebox.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.HealthReport.BreakerHealth;
import dev.fusebox.observability.HealthReport.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CircuitBreakerHealthTest {

  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Breakers.config(ticker));

  private CircuitBreakerHealth health(String... critical) {
    return CircuitBreakerHealth.builder(registry).critical(critical).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  /** Every state, ramping or not where that exists, critical or not, with the status it must give. */
  static Stream<Arguments> everyCombination() {
    return Stream.of(
        Arguments.of(State.CLOSED, false, false, Status.UP),
        Arguments.of(State.CLOSED, false, true, Status.UP),
        Arguments.of(State.CLOSED, true, false, Status.DEGRADED),
        Arguments.of(State.CLOSED, true, true, Status.DEGRADED),
        Arguments.of(State.OPEN, false, false, Status.DEGRADED),
        Arguments.of(State.OPEN, false, true, Status.DOWN),
        Arguments.of(State.HALF_OPEN, false, false, Status.DEGRADED),
        Arguments.of(State.HALF_OPEN, false, true, Status.DEGRADED),
        Arguments.of(State.FORCED_OPEN, false, false, Status.DEGRADED),
        Arguments.of(State.FORCED_OPEN, false, true, Status.DOWN),
        Arguments.of(State.DISABLED, false, false, Status.UP),
        Arguments.of(State.DISABLED, false, true, Status.UP),
        Arguments.of(State.METRICS_ONLY, false, false, Status.UP),
        Arguments.of(State.METRICS_ONLY, false, true, Status.UP));
  }

  @ParameterizedTest(name = "{0}, ramping={1}, critical={2} -> {3}")
  @MethodSource("everyCombination")
  void statusOfEveryStateRampAndCriticality(State state, boolean ramping, boolean critical, Status expected) {
    CircuitBreaker breaker = registry.circuitBreaker("dependency");
    if (ramping) {
      Breakers.recoverIntoRamp(breaker);
    } else {
      Breakers.moveTo(breaker, state);
    }

    HealthReport report = critical ? health("dependency").check() : health().check();

    BreakerHealth only = report.breakers().get(0);
    assertThat(only.state()).isEqualTo(state);
    assertThat(only.ramping()).isEqualTo(ramping);
    assertThat(only.critical()).isEqualTo(critical);
    assertThat(only.status()).isEqualTo(expected);
    assertThat(report.status()).isEqualTo(expected);
    assertThat(CircuitBreakerHealth.status(state, ramping ? 10 : 100, critical)).isEqualTo(expected);
  }

  @Property(tries = 300)
  void overallStatusIsTheWorstOfTheBreakers(
      @ForAll @Size(max = 6) List<State> states, @ForAll @Size(max = 6) List<Boolean> critical) {
    CircuitBreakerRegistry fresh = CircuitBreakerRegistry.of(Breakers.config(new ManualTicker()));
    List<String> criticalNames = new ArrayList<>();
    Status worst = Status.UP;
    for (int i = 0; i < states.size(); i++) {
      String name = "b" + i;
      Breakers.moveTo(fresh.circuitBreaker(name), states.get(i));
      boolean isCritical = i < critical.size() && critical.get(i);
      if (isCritical) {
        criticalNames.add(name);
      }
      Status status = CircuitBreakerHealth.status(states.get(i), 100, isCritical);
      worst = status.compareTo(worst) > 0 ? status : worst;
    }

    HealthReport report = CircuitBreakerHealth.builder(fresh).critical(criticalNames).build().check();

    assertThat(report.status()).isEqualTo(worst);
    assertThat(report.breakers()).hasSize(states.size());
  }

  @Test
  void anEmptyRegistryIsUp() {
    HealthReport report = health().check();
    assertThat(report.status()).isEqualTo(Status.UP);
    assertThat(report.breakers()).isEmpty();
    assertThat(report.checkedAt()).isEqualTo(NOW);
  }

  @Test
  void aCriticalOpenBreakerOutweighsEverythingElse() {
    Breakers.moveTo(registry.circuitBreaker("recommendations"), State.OPEN);
    Breakers.moveTo(registry.circuitBreaker("search"), State.HALF_OPEN);
    registry.circuitBreaker("catalog");
    assertThat(health("payments").check().status()).isEqualTo(Status.DEGRADED);

    Breakers.moveTo(registry.circuitBreaker("payments"), State.FORCED_OPEN);
    assertThat(health("payments").check().status()).isEqualTo(Status.DOWN);
  }

  @Test
  void anOpenBreakerSaysSinceWhenAndUntilWhen() {
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    Breakers.trip(inventory);
    ticker.advance(Duration.ofSeconds(10));

    BreakerHealth open = health().check().breakers().get(0);

    assertThat(open.state()).isEqualTo(State.OPEN);
    assertThat(open.timeInState()).isEqualTo(Duration.ofSeconds(10));
    assertThat(open.since()).isEqualTo(NOW.minusSeconds(10));
    assertThat(open.nextTrialAt()).isEqualTo(NOW.plusSeconds(50));
    assertThat(open.failureRate()).isEqualTo(100);

    ticker.advance(Duration.ofSeconds(70)); // the wait is over; the trial awaits a call
    assertThat(health().check().breakers().get(0).nextTrialAt()).isEqualTo(NOW);
  }

  @Test
  void onlyAnOpenBreakerHasANextTrial() {
    for (State state : State.values()) {
      CircuitBreaker breaker = registry.circuitBreaker(state.name());
      Breakers.moveTo(breaker, state);
    }
    HealthReport report = health().check();
    for (BreakerHealth breaker : report.breakers()) {
      assertThat(breaker.nextTrialAt() != null).as(breaker.name()).isEqualTo(breaker.state() == State.OPEN);
    }
  }

  @Test
  void aRampingBreakerSaysItsShare() {
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    Breakers.recoverIntoRamp(inventory);

    HealthReport report = health().check();
    assertThat(report.ramping()).extracting(BreakerHealth::name).containsExactly("inventory");
    assertThat(report.ramping().get(0).rampPercentage()).isEqualTo(10);

    ticker.advance(Duration.ofSeconds(15));
    assertThat(health().check().breakers().get(0).rampPercentage()).isEqualTo(25);

    ticker.advance(Breakers.RAMP);
    HealthReport recovered = health().check();
    assertThat(recovered.ramping()).isEmpty();
    assertThat(recovered.status()).isEqualTo(Status.UP);
  }

  @Test
  void groupsBreakersByStateSortedByName() {
    Breakers.moveTo(registry.circuitBreaker("zeta"), State.OPEN);
    Breakers.moveTo(registry.circuitBreaker("alpha"), State.OPEN);
    Breakers.moveTo(registry.circuitBreaker("mid"), State.FORCED_OPEN);
    registry.circuitBreaker("closed");

    HealthReport report = health().check();

    assertThat(report.breakers()).extracting(BreakerHealth::name).containsExactly("alpha", "closed", "mid", "zeta");
    assertThat(report.byState()).containsOnlyKeys(State.values());
    assertThat(report.byState().get(State.OPEN)).extracting(BreakerHealth::name).containsExactly("alpha", "zeta");
    assertThat(report.byState().get(State.HALF_OPEN)).isEmpty();
    assertThat(report.inState(State.OPEN, State.FORCED_OPEN)).extracting(BreakerHealth::name)
        .containsExactly("alpha", "mid", "zeta");
    assertThat(report.unhealthy()).extracting(BreakerHealth::name).containsExactly("alpha", "mid", "zeta");
  }

  @Test
  void criticalBreakersCanBeChosenByPredicate() {
    Breakers.moveTo(registry.circuitBreaker("db-orders"), State.OPEN);
    CircuitBreakerHealth health =
        CircuitBreakerHealth.builder(registry).criticalIf(b -> b.name().startsWith("db-")).build();

    assertThat(health.check().status()).isEqualTo(Status.DOWN);
    assertThat(health.isCritical(registry.circuitBreaker("cache"))).isFalse();
  }

  @Test
  void reportsAreImmutable() {
    registry.circuitBreaker("inventory");
    HealthReport report = health().check();
    assertThatThrownBy(() -> report.breakers().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> report.byState().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void criticalNamesAreChecked() {
    CircuitBreakerHealth.Builder builder = CircuitBreakerHealth.builder(registry);
    assertThatThrownBy(() -> builder.critical(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("critical names must not be blank, was ' '");
    assertThatThrownBy(() -> builder.critical("payments", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("critical names must not contain null");
    assertThatThrownBy(() -> builder.criticalIf(null)).hasMessage("criticalIf predicate must not be null");
    assertThatThrownBy(() -> builder.clock(null)).hasMessage("clock must not be null");
    assertThatThrownBy(() -> CircuitBreakerHealth.builder(null)).hasMessage("registry must not be null");
  }
}
