package dev.fusebox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.vm.VM;

class RetainedSizeTest {

  /** Something a root owns, something it shares, and a class and an enum constant it points at. */
  static final class Holder {
    final long[] own = new long[10];
    final Object shared;
    final Class<?> type = Holder.class;
    final Window window = Window.COUNT;

    Holder(Object shared) {
      this.shared = shared;
    }
  }

  @Test
  void countsWhatEachRootOwnsAndLeavesOutTheSharedGraphClassesAndEnums() {
    Object[] shared = {new long[1000]};
    Holder a = new Holder(shared);
    Holder b = new Holder(shared);

    RetainedSize.Total total = new RetainedSize((Object) shared).of(a, b);

    long perHolder = VM.current().sizeOf(a) + VM.current().sizeOf(a.own);
    assertThat(total.bytes()).isEqualTo(2 * perHolder);
    assertThat(total.objects()).isEqualTo(4);
    assertThat(total.byClass()).containsOnlyKeys(Holder.class.getName(), long[].class.getName());
  }

  @Test
  void countsAnObjectReachedFromSeveralRootsOnce() {
    long[] common = new long[100];
    Holder a = new Holder(common);
    Holder b = new Holder(common);

    RetainedSize.Total total = new RetainedSize().of(a, b);

    long expected = 2 * (VM.current().sizeOf(a) + VM.current().sizeOf(a.own)) + VM.current().sizeOf(common);
    assertThat(total.bytes()).isEqualTo(expected);
    assertThat(total.objects()).isEqualTo(5);
  }
}
