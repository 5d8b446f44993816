package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PolicyKindTest {

  record Counter(String name, AtomicLong calls) {}

  @Test
  void readsEveryMeasureKeyedByNameAndTags() {
    PolicyKind<Counter> kind =
        PolicyKind.<Counter>builder("counter", "counters", Counter::name)
            .counter("fusebox.counter.calls", "done", "Calls", c -> c.calls().get())
            .gauge("fusebox.counter.limit", "calls", "Limit", c -> 7)
            .timeGauge("fusebox.counter.latency", null, "Latency", c -> Optional.<Duration>empty())
            .build();
    Counter counter = new Counter("a", new AtomicLong(3));

    assertThat(kind.read(counter))
        .containsExactly(
            Map.entry("fusebox.counter.calls{kind=done}", 3.0),
            Map.entry("fusebox.counter.limit", 7.0),
            Map.entry("fusebox.counter.latency", Double.NaN));
    assertThat(kind.nameOf(counter)).isEqualTo("a");
    assertThat(kind).hasToString("PolicyKind[counter, 3 measures]");
  }

  @Test
  void refusesBadIdentifiersNamesAndDuplicatesWithTheValue() {
    assertThatThrownBy(() -> PolicyKind.<Counter>builder("Hedge", "hedges", Counter::name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be lower-case letters and digits, was 'Hedge'");
    PolicyKind.Builder<Counter> builder = PolicyKind.builder("counter", "counters", Counter::name);
    assertThatThrownBy(() -> builder.gauge("Fusebox Calls", null, "x", c -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 'Fusebox Calls'");
    builder.counter("fusebox.counter.calls", "done", "Calls", c -> 1);
    builder.counter("fusebox.counter.calls", "done", "Calls", c -> 2);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("measures must differ by name or tags; twice: fusebox.counter.calls{kind=done}");
    assertThatThrownBy(() -> PolicyKind.<Counter>builder("counter", "counters", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("nameOf must not be null");
  }
}
