package dev.fusebox.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole comparison and writes the report: every benchmark of this package at each thread count,
 * the single-threaded ones once (average time only: at one thread the throughput is its reciprocal), then the
 * footprint of each library in a JVM of its own, then the Redis load of one shared-state instance.
 *
 * <p>{@code java -jar fusebox-benchmarks/target/benchmarks.jar} is the full run (about 80 minutes on two
 * cores); {@code --quick} is a smoke run; {@code --help} lists the options. The report goes to the console
 * and to {@code benchmark-results.md} beside the jar, with JMH's raw results as JSON next to it.
 *
 * <p>Adding a benchmark: a new class in this package with a {@code contender} {@code @Param} is picked up
 * by the run, the results table and the ratio table without further change. A class that must run on one
 * thread only belongs in {@link #SINGLE_THREADED}.
 */
public final class Main {

  /**
   * Benchmarks measured at one thread only; every other class is measured at each thread count. The
   * other policies, the pipeline and the integrations are call-path costs of one caller: measuring them at
   * three thread counts would add half an hour to the full run for figures no target reads.
   */
  static final List<Class<?>> SINGLE_THREADED =
      List.of(
          HalfOpenBenchmark.class,
          RetryBenchmark.class,
          BulkheadBenchmark.class,
          RateLimiterBenchmark.class,
          AdaptiveThrottleBenchmark.class,
          TimeLimiterBenchmark.class,
          FallbackBenchmark.class,
          PipelineBenchmark.class,
          ReactorBenchmark.class,
          MicrometerBenchmark.class,
          AdaptiveThresholdsBenchmark.class,
          RedisSharedBenchmark.class);

  /** Benchmarks that need the Redis at 127.0.0.1:6379, left out (and reported as skipped) without it. */
  static final List<Class<?>> NEED_REDIS = List.of(RedisSharedBenchmark.class);

  /** The libraries whose footprint is measured, each in its own JVM. */
  static final List<String> FOOTPRINT_CONTENDERS =
      List.of(
          Contenders.FUSEBOX,
          Contenders.R4J_SYNCHRONIZED,
          Contenders.R4J_LOCK_FREE,
          Contenders.FAILSAFE_STANDALONE);

  /**
   * Resilience4j's LOCK_FREE window keeps a node object per call of the window: a million such breakers need
   * more than 13 GB, beyond this machine's share. Its per-breaker figure is measured all the same.
   */
  static final List<String> NO_REGISTRY_RUN = List.of(Contenders.R4J_LOCK_FREE);

  private static final String PACKAGE = Pattern.quote(Main.class.getPackageName() + ".");

  private Main() {}

  /**
   * Runs the whole suite and writes the report; see the class description for the options.
   *
   * @param args the options, such as {@code --quick}
   * @throws Exception if a benchmark run or the report fails
   */
  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (settings.jmhArgs != null) {
      org.openjdk.jmh.Main.main(settings.jmhArgs);
      return;
    }
    Path outputDir = outputDirectory();
    Instant start = Instant.now();
    boolean redis = LocalRedis.reachable();
    if (!redis) {
      System.out.println("# " + LocalRedis.SKIPPED + ": the Redis-shared breaker and the Redis load are left out");
    }
    List<Measured> measured = new ArrayList<>();
    if (settings.runJmh) {
      for (int threads : settings.threads) {
        measured.addAll(
            runJmh(settings, false, threads, redis, outputDir.resolve("jmh-result-t" + threads + ".json")));
      }
      measured.addAll(runJmh(settings, true, 1, redis, outputDir.resolve("jmh-result-single-threaded.json")));
    }
    Map<String, Map<String, Double>> footprint = new LinkedHashMap<>();
    Map<String, List<String>> footprintClasses = new LinkedHashMap<>();
    if (settings.runFootprint) {
      for (String contender : FOOTPRINT_CONTENDERS) {
        int size = NO_REGISTRY_RUN.contains(contender) ? 0 : settings.registrySize;
        runFootprint(settings, contender, size, footprint, footprintClasses);
      }
    }
    Map<String, Double> redisLoad = new LinkedHashMap<>();
    if (settings.runFootprint && redis) {
      runRedisLoad(settings, redisLoad);
    }
    Duration took = Duration.between(start, Instant.now());
    String report =
        new Report(settings, measured, footprint, footprintClasses, took)
            .redis(redis ? null : LocalRedis.SKIPPED, redisLoad)
            .markdown();
    Path out = settings.out != null ? Path.of(settings.out) : outputDir.resolve("benchmark-results.md");
    Files.writeString(out, report, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(report);
    System.out.println("Report written to " + out.toAbsolutePath());
  }

  /** The directory of the jar (or class folder) this runs from: {@code fusebox-benchmarks/target}. */
  private static Path outputDirectory() throws Exception {
    Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return location.getParent();
  }

  private static List<Measured> runJmh(
      Settings s, boolean singleThreaded, int threads, boolean redis, Path resultFile) throws RunnerException {
    String single =
        SINGLE_THREADED.stream()
            .map(c -> Pattern.quote(c.getSimpleName()))
            .collect(Collectors.joining("|", "(", ")"));
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(s.include != null ? s.include : "^" + PACKAGE)
            .forks(s.forks)
            .warmupIterations(s.warmupIterations)
            .warmupTime(TimeValue.seconds(s.iterationSeconds))
            .measurementIterations(s.measurementIterations)
            .measurementTime(TimeValue.seconds(s.iterationSeconds))
            .threads(threads)
            .timeUnit(TimeUnit.NANOSECONDS)
            .jvmArgsAppend("-Xms1g", "-Xmx1g")
            .addProfiler(GCProfiler.class)
            .result(resultFile.toString())
            .resultFormat(ResultFormatType.JSON);
    if (singleThreaded) {
      o.exclude("^" + PACKAGE + "(?!" + single + "\\.)");
    } else {
      o.exclude("^" + PACKAGE + single + "\\.");
    }
    if (!redis) {
      NEED_REDIS.forEach(c -> o.exclude("^" + PACKAGE + Pattern.quote(c.getSimpleName()) + "\\."));
    }
    // At one thread the throughput is the reciprocal of the average time: measure the one-thread-only
    // benchmarks once, in average time, unless the run asked for throughput alone.
    List<Mode> modes = singleThreaded && s.modes.contains(Mode.AverageTime) ? List.of(Mode.AverageTime) : s.modes;
    for (var mode : modes) {
      o.mode(mode);
    }
    s.params.forEach(o::param);
    s.profilers.forEach(o::addProfiler);
    try {
      List<Measured> measured = new ArrayList<>();
      for (RunResult r : new Runner(o.build()).run()) {
        measured.add(Measured.of(r));
      }
      return measured;
    } catch (NoBenchmarksException nothingMatches) {
      System.out.println("# No benchmark of the " + (singleThreaded ? "single-threaded" : threads + "-thread")
          + " run matches " + (s.include != null ? s.include : "this package"));
      return List.of();
    }
  }

  private static void runFootprint(
      Settings s,
      String contender,
      int registrySize,
      Map<String, Map<String, Double>> figures,
      Map<String, List<String>> classes)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Xmx" + s.footprintHeap,
            "-Djdk.attach.allowAttachSelf=true",
            "-cp",
            System.getProperty("java.class.path"),
            Footprint.class.getName(),
            contender,
            Integer.toString(registrySize));
    System.out.println("# Footprint of " + contender + ": " + String.join(" ", command));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, Double> mine = new LinkedHashMap<>();
    List<String> myClasses = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("FOOTPRINT ")) {
          String[] parts = line.split(" ");
          mine.put(parts[1], Double.valueOf(parts[2]));
          System.out.println(line);
        } else if (line.startsWith("FOOTPRINT_CLASS ")) {
          myClasses.add(line.substring("FOOTPRINT_CLASS ".length()));
        } else if (!line.isBlank() && !line.startsWith("SLF4J")) {
          System.out.println("  " + line);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      System.out.println("# Footprint of " + contender + " failed with exit code " + exit);
      mine.put("failed", (double) exit);
    }
    figures.put(contender, mine);
    classes.put(contender, myClasses);
  }

  /**
   * Runs {@link RedisLoad} in a JVM of its own and collects its {@code REDIS_LOAD breakers key value}
   * lines as {@code breakers.key}; a failure is reported in the figures, never thrown.
   */
  private static void runRedisLoad(Settings s, Map<String, Double> figures)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            RedisLoad.class.getName(),
            Integer.toString(s.redisLoadSeconds));
    System.out.println("# Redis load: " + String.join(" ", command));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("REDIS_LOAD ")) {
          String[] parts = line.split(" ");
          figures.put(parts[1] + "." + parts[2], Double.valueOf(parts[3]));
          System.out.println(line);
        } else if (!line.isBlank()) {
          System.out.println("  " + line);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      System.out.println("# Redis load failed with exit code " + exit);
      figures.put("failed", (double) exit);
    }
  }

  /** One JMH result, reduced to what the report needs. */
  record Measured(
      String benchmark,
      String contender,
      String window,
      int threads,
      String mode,
      double score,
      double error,
      double allocBytesPerOp) {

    static Measured of(RunResult r) {
      var p = r.getParams();
      String full = p.getBenchmark();
      String[] parts = full.split("\\.");
      String benchmark = parts[parts.length - 2] + "." + parts[parts.length - 1];
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      return new Measured(
          benchmark,
          p.getParam("contender"),
          p.getParam("window"),
          p.getThreads(),
          p.getMode().shortLabel(),
          r.getPrimaryResult().getScore(),
          r.getPrimaryResult().getScoreError(),
          alloc != null ? alloc.getScore() : Double.NaN);
    }
  }
}
