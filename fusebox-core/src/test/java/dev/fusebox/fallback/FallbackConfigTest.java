package dev.fusebox.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.Ticker;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FallbackConfigTest {

  @Test
  void defaultsAreALastKnownGoodCacheOfTenMinutesAndAThousandKeys() {
    FallbackConfig<String> c = FallbackConfig.ofDefaults();
    assertThat(c.lastKnownGood()).isTrue();
    assertThat(c.lastKnownGoodMaxAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.lastKnownGoodMaxSize()).isEqualTo(1_000);
    assertThat(c.hasAlternative()).isFalse();
    assertThat(c.fallbackExceptions()).isEmpty();
    assertThat(c.ignoreExceptions()).isEmpty();
    assertThat(c.fallbackOnException()).isEmpty();
    assertThat(c.fallbackOnResult()).isEmpty();
    assertThat(c.ticker()).isSameAs(Ticker.coarse());
  }

  @Test
  void anAlternativeAloneSwitchesTheDefaultCacheOff() {
    FallbackConfig<String> c = FallbackConfig.<String>builder().fallbackValue("x").build();
    assertThat(c.lastKnownGood()).isFalse();
    assertThat(c.hasAlternative()).isTrue();
  }

  @Test
  void anExplicitCacheAndAnAlternativeChain() {
    FallbackConfig<String> c = FallbackConfig.<String>builder()
        .lastKnownGood(Duration.ofSeconds(30), 5).fallbackSupplier(() -> "x").build();
    assertThat(c.lastKnownGood()).isTrue();
    assertThat(c.lastKnownGoodMaxAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.lastKnownGoodMaxSize()).isEqualTo(5);
    assertThat(c.hasAlternative()).isTrue();
  }

  @Test
  void aNullFallbackValueIsALegitimateAnswer() {
    FallbackConfig<String> c = FallbackConfig.<String>builder().fallbackValue(null).build();
    assertThat(c.hasAlternative()).isTrue();
    assertThat(Fallback.of("null", c).executeSupplier(() -> {
      throw new IllegalStateException();
    })).isNull();
  }

  @Test
  void toBuilderKeepsEveryOption() {
    FallbackConfig<String> original = FallbackConfig.<String>builder()
        .fallbackExceptions(IOException.class)
        .ignoreExceptions(IllegalStateException.class)
        .fallbackOnException(e -> true)
        .fallbackOnResult(r -> false)
        .lastKnownGood(Duration.ofMinutes(2), 7)
        .fallbackFunction(e -> "f")
        .keyFunction(Object::toString)
        .markStale((v, age) -> v + " (stale)")
        .ticker(() -> 1)
        .build();
    FallbackConfig<String> copy = original.toBuilder().build();
    assertThat(copy).usingRecursiveComparison().isEqualTo(original);
    FallbackConfig<String> defaults = FallbackConfig.<String>ofDefaults().toBuilder().fallbackValue("v").build();
    assertThat(defaults.lastKnownGood()).isFalse();
  }

  @Test
  void rejectsMoreThanOneAlternative() {
    assertThatThrownBy(() -> FallbackConfig.<String>builder().fallbackValue("a").fallbackSupplier(() -> "b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid FallbackConfig: fallbackValue, fallbackSupplier and fallbackFunction are alternatives: "
            + "set at most one, 2 were set");
  }

  @Test
  void rejectsANonPositiveMaxAge() {
    assertThatThrownBy(() -> FallbackConfig.builder().lastKnownGood(Duration.ZERO, 10).build())
        .hasMessage("Invalid FallbackConfig: lastKnownGood maxAge must be positive, was PT0S");
  }

  @Test
  void rejectsAMaxSizeOutsideItsRange() {
    assertThatThrownBy(() -> FallbackConfig.builder().lastKnownGood(Duration.ofSeconds(1), 0).build())
        .hasMessage("Invalid FallbackConfig: lastKnownGood maxSize must be in [1, 100000000], was 0");
    assertThatThrownBy(() -> FallbackConfig.builder().lastKnownGood(Duration.ofSeconds(1), 100_000_001).build())
        .hasMessage("Invalid FallbackConfig: lastKnownGood maxSize must be in [1, 100000000], was 100000001");
  }

  @Test
  void reportsEveryViolationAtOnce() {
    assertThatThrownBy(() -> FallbackConfig.builder().lastKnownGood(Duration.ofSeconds(-1), -1).build())
        .hasMessage("Invalid FallbackConfig (2 problems): lastKnownGood maxAge must be positive, was PT-1S; "
            + "lastKnownGood maxSize must be in [1, 100000000], was -1");
  }

  @Test
  void rejectsNullsNamingTheOption() {
    FallbackConfig.Builder<String> b = FallbackConfig.builder();
    assertThatThrownBy(() -> b.fallbackExceptions((Class<? extends Throwable>[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("fallbackExceptions must not be null");
    assertThatThrownBy(() -> b.ignoreExceptions(IOException.class, null))
        .hasMessage("ignoreExceptions must not contain null, found one at index 1");
    assertThatThrownBy(() -> b.fallbackOnException(null)).hasMessage("fallbackOnException predicate must not be null");
    assertThatThrownBy(() -> b.fallbackOnResult(null)).hasMessage("fallbackOnResult predicate must not be null");
    assertThatThrownBy(() -> b.lastKnownGood(null, 1)).hasMessage("lastKnownGood maxAge must not be null");
    assertThatThrownBy(() -> b.fallbackSupplier(null)).hasMessage("fallbackSupplier must not be null");
    assertThatThrownBy(() -> b.fallbackFunction(null)).hasMessage("fallbackFunction must not be null");
    assertThatThrownBy(() -> b.keyFunction(null)).hasMessage("keyFunction must not be null");
    assertThatThrownBy(() -> b.markStale(null)).hasMessage("markStale must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
  }
}
