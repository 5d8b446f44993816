package dev.fusebox.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreakerEvent.Type;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventHistoryConfigTest {

  @Test
  void defaultsKeepAHundredEventsOfEveryTypeButSuccess() {
    EventHistoryConfig config = EventHistoryConfig.ofDefaults();
    assertThat(config.capacity()).isEqualTo(100);
    assertThat(config.eventTypes()).isEqualTo(EnumSet.complementOf(EnumSet.of(Type.SUCCESS)));
  }

  @Test
  void toBuilderKeepsEveryOption() {
    EventHistoryConfig config = EventHistoryConfig.builder().capacity(7).eventTypes(Type.RESET).build();
    EventHistoryConfig copy = config.toBuilder().build();
    assertThat(copy.capacity()).isEqualTo(7);
    assertThat(copy.eventTypes()).containsExactly(Type.RESET);
  }

  @Test
  void eventTypesAreUnmodifiable() {
    assertThatThrownBy(() -> EventHistoryConfig.ofDefaults().eventTypes().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> EventHistoryConfig.builder().capacity(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid EventHistoryConfig: capacity must be in [1, 1048576], was 0");
  }

  @Test
  void capacityHasAnUpperBound() {
    assertThatThrownBy(() -> EventHistoryConfig.builder().capacity((1 << 20) + 1).build())
        .hasMessage("Invalid EventHistoryConfig: capacity must be in [1, 1048576], was 1048577");
  }

  @Test
  void eventTypesMustNotBeEmpty() {
    assertThatThrownBy(() -> EventHistoryConfig.builder().eventTypes(Set.of()).build())
        .hasMessage("Invalid EventHistoryConfig: eventTypes must not be empty, was []");
  }

  @Test
  void reportsEveryViolationAtOnce() {
    assertThatThrownBy(() -> EventHistoryConfig.builder().capacity(-1).eventTypes(Set.of()).build())
        .hasMessage(
            "Invalid EventHistoryConfig (2 problems): capacity must be in [1, 1048576], was -1; "
                + "eventTypes must not be empty, was []");
  }

  @Test
  void nullsAreRejectedAtOnceNamingTheOption() {
    assertThatThrownBy(() -> EventHistoryConfig.builder().eventTypes((Set<Type>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("eventTypes must not be null");
    assertThatThrownBy(() -> EventHistoryConfig.builder().eventTypes(Type.RESET, (Type) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("eventTypes must not contain null");
  }
}
