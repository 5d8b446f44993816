package dev.fusebox.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.dashboard.SampleRing.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleRingTest {

  @Test
  void isEmptyAtFirst() {
    SampleRing ring = new SampleRing(3);

    assertThat(ring.latest()).isNull();
    assertThat(ring.snapshot()).isEmpty();
  }

  @Test
  void keepsTheNewestSamplesUpToItsCapacityOldestFirst() {
    SampleRing ring = new SampleRing(3);
    for (long tick = 1; tick <= 5; tick++) {
      ring.add(new Sample(tick, new double[] {tick, 0, 0}));
    }

    List<Sample> samples = ring.snapshot();

    assertThat(samples).extracting(Sample::tick).containsExactly(3L, 4L, 5L);
    assertThat(ring.latest().tick()).isEqualTo(5);
  }
}
