package dev.fusebox.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run every benchmark class makes unless {@link Main} says otherwise: average time in nanoseconds, two
 * forks, three warm-up and five measured iterations of a second. JMH reads these from the superclass, so a
 * benchmark says only what differs (one thread, with {@code @Threads(1)}):
 *
 * <pre>{@code
 * @Threads(1)
 * public class HalfOpenBenchmark extends BenchmarkDefaults {
 *   // states and @Benchmark methods
 * }
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class BenchmarkDefaults {

  /** For subclasses: JMH instantiates the benchmark classes. */
  protected BenchmarkDefaults() {}
}
