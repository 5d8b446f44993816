package dev.fusebox.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Mode;

/**
 * What one run of {@link Main} does: the JMH options, the thread counts, the footprint measurement. The
 * defaults are the full run that docs/benchmarks.md publishes; {@code --quick} is a smoke run.
 */
final class Settings {

  static final String USAGE =
      """
      usage: java -jar fusebox-benchmarks/target/benchmarks.jar [options]
        --quick                 smoke run: 1 fork, 1 warm-up and 2 measured iterations of 1 s, 100,000 registry
                                entries, 3 s of Redis load
        --forks N               JMH forks per benchmark (default 2)
        --warmup N              warm-up iterations (default 3)
        --iterations N          measured iterations (default 5)
        --time S                seconds per iteration, warm-up and measured (default 1)
        --threads 1,2,4         thread counts for the scaling benchmarks (default 1,2,4)
        --modes avgt,thrpt      JMH modes (default both: ns/op and total ops/s)
        --include REGEX         only the benchmarks whose full name matches REGEX
        --param NAME=V1,V2      override a JMH @Param, e.g. --param window=COUNT,TIME
        --prof NAME             add a JMH profiler (gc is always on), e.g. --prof stack
        --registry-size N       breakers in the registry measurement (default 1,000,000; 0 skips it)
        --footprint-heap SIZE   -Xmx of each footprint JVM (default 8g)
        --redis-seconds N       seconds of each Redis load measurement (default 10)
        --no-jmh                only the footprint and Redis load measurements
        --no-footprint          only the JMH benchmarks: no heap figures, no Redis load
        --out FILE              the Markdown report (default target/benchmark-results.md beside the jar)
        --jmh ARGS...           hand every following argument to JMH's own command line, and write no report
      """;

  int forks = 2;
  int warmupIterations = 3;
  int measurementIterations = 5;
  int iterationSeconds = 1;
  List<Integer> threads = List.of(1, 2, 4);
  List<Mode> modes = List.of(Mode.AverageTime, Mode.Throughput);
  String include;
  final Map<String, String[]> params = new LinkedHashMap<>();
  final List<String> profilers = new ArrayList<>();
  int registrySize = 1_000_000;
  String footprintHeap = "8g";
  int redisLoadSeconds = 10;
  boolean runJmh = true;
  boolean runFootprint = true;
  boolean quick;
  String out;
  String[] jmhArgs;
  final List<String> arguments;

  private Settings(String[] args) {
    this.arguments = List.of(args);
  }

  static Settings parse(String[] args) {
    Settings s = new Settings(args);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> {
          s.quick = true;
          s.forks = 1;
          s.warmupIterations = 1;
          s.measurementIterations = 2;
          s.iterationSeconds = 1;
          s.registrySize = 100_000;
          s.redisLoadSeconds = 3;
        }
        case "--forks" -> s.forks = positive(a, args, ++i, 1);
        case "--warmup" -> s.warmupIterations = positive(a, args, ++i, 0);
        case "--iterations" -> s.measurementIterations = positive(a, args, ++i, 1);
        case "--time" -> s.iterationSeconds = positive(a, args, ++i, 1);
        case "--threads" ->
            s.threads = Arrays.stream(value(a, args, ++i).split(",")).map(Integer::valueOf).toList();
        case "--modes" -> s.modes = Arrays.stream(value(a, args, ++i).split(",")).map(Mode::deepValueOf).toList();
        case "--include" -> s.include = value(a, args, ++i);
        case "--param" -> {
          String[] nameAndValues = value(a, args, ++i).split("=", 2);
          if (nameAndValues.length != 2) {
            throw new IllegalArgumentException("--param needs NAME=V1,V2, was " + args[i]);
          }
          s.params.put(nameAndValues[0], nameAndValues[1].split(","));
        }
        case "--prof" -> s.profilers.add(value(a, args, ++i));
        case "--registry-size" -> s.registrySize = positive(a, args, ++i, 0);
        case "--footprint-heap" -> s.footprintHeap = value(a, args, ++i);
        case "--redis-seconds" -> s.redisLoadSeconds = positive(a, args, ++i, 1);
        case "--no-jmh" -> s.runJmh = false;
        case "--no-footprint" -> s.runFootprint = false;
        case "--out" -> s.out = value(a, args, ++i);
        case "--jmh" -> {
          s.jmhArgs = Arrays.copyOfRange(args, i + 1, args.length);
          return s;
        }
        case "--help", "-h" -> {
          System.out.print(USAGE);
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }
    return s;
  }

  private static String value(String option, String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  private static int positive(String option, String[] args, int i, int min) {
    int n = Integer.parseInt(value(option, args, i).replace("_", "").replace(",", ""));
    if (n < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", was " + n);
    }
    return n;
  }
}
