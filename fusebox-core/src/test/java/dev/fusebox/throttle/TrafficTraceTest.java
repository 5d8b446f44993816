package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The throttle replaying traffic traces (test resources {@code *.trace}: the time of each request and what
 * the backend answered) with the defaults (K = 2, 2 minutes, at most 0.9) and a seeded random source. A
 * 503 and a timeout are not accepted; a 200 and a 404 are. A request the throttle rejects is never sent,
 * so its line's answer is not used.
 *
 * <p>Every replay is checked three ways: request by request against the {@link ReferenceModel} (same
 * seed, same decisions), at chosen moments against the exact figures the formula gives there, and, where
 * the throttle has not yet rejected anything, against counts taken from the trace file itself.
 */
class TrafficTraceTest {

  private static final long SEED = 17;
  private static final long START = 7_000_000_000_000L;

  /** What the backend answered one request. */
  record Line(long millis, String answer) {
    boolean accepted() {
      return answer.equals("200") || answer.equals("404");
    }
  }

  /** What a client gets back. */
  record Response(int status) {}

  /** The figures at one moment of a replay. */
  record Checkpoint(long second, long requests, long accepts, long rejectedSoFar, double probability) {}

  /** The outcome of a replay: the decision of each line, and the figures at each checkpoint. */
  record Replay(List<Boolean> admitted, List<Double> probabilities, List<Checkpoint> checkpoints) {
    long rejected() {
      return admitted.stream().filter(a -> !a).count();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The traces

  @Test
  void aHealthyBackendIsNeverThrottledAndTheWindowHoldsExactlyTheTracesLastTwoMinutes() {
    List<Line> trace = read("healthy.trace");
    Replay replay = replay(trace, 60, 120, 150, 180);

    assertThat(replay.rejected()).isZero();
    assertThat(replay.probabilities()).containsOnly(0.0);
    for (Checkpoint c : replay.checkpoints()) {
      long at = c.second() * 1000;
      List<Line> window = inWindow(trace.stream().filter(l -> l.millis() < at).toList(), at);
      assertThat(c.requests()).as("requests at %d s", c.second()).isEqualTo(window.size());
      assertThat(c.accepts()).as("accepts at %d s", c.second())
          .isEqualTo(window.stream().filter(Line::accepted).count());
      assertThat(c.probability()).isZero();
    }
    assertThat(replay.checkpoints()).containsExactly(
        new Checkpoint(60, 476, 475, 0, 0.0),
        new Checkpoint(120, 994, 992, 0, 0.0),
        new Checkpoint(150, 978, 974, 0, 0.0),
        new Checkpoint(180, 984, 981, 0, 0.0));
  }

  @Test
  void aBackendRejectingHalfTheRequestsIsBarelyThrottledSinceKTwoToleratesHalf() {
    Replay replay = replay(read("half-failing.trace"), 120, 180, 240, 300, 360);

    assertThat(replay.checkpoints()).containsExactly(
        new Checkpoint(120, 910, 909, 0, 0.0),
        new Checkpoint(180, 973, 744, 0, 0.0),
        new Checkpoint(240, 954, 497, 0, 0.0),
        new Checkpoint(300, 930, 466, 0, 0.0),
        new Checkpoint(360, 906, 437, 12, 32.0 / 907));
  }

  @Test
  void inAnOutageTheThrottleShedsFromTheFirstRequestAtWhichFailuresOutnumberAcceptsUpToTheCap() {
    List<Line> trace = read("outage.trace");
    Replay replay = replay(trace, 60, 90, 120, 180, 240);

    // Until the first rejection the window is the trace's own. With K = 2 the probability turns positive at
    // the first request whose window holds more failures than accepts, (failures - accepts) / (n + 1) then.
    int first = 0;
    while (replay.probabilities().get(first) == 0.0) {
      first++;
    }
    List<Line> before = inWindow(trace.subList(0, first - 1), trace.get(first - 1).millis());
    List<Line> window = inWindow(trace.subList(0, first), trace.get(first).millis());
    assertThat(2 * accepts(before)).isGreaterThanOrEqualTo(before.size());
    assertThat(replay.probabilities().get(first))
        .isEqualTo((window.size() - 2.0 * accepts(window)) / (window.size() + 1))
        .isPositive();
    // That is when the first healthy second leaves the window: 7 failures more than accepts among 939.
    assertThat(trace.get(first).millis()).isEqualTo(123_226);
    assertThat(replay.probabilities().get(first)).isEqualTo(7.0 / 940);
    assertThat(replay.checkpoints()).containsExactly(
        new Checkpoint(60, 501, 497, 0, 0.0),
        new Checkpoint(90, 711, 497, 0, 0.0),
        new Checkpoint(120, 941, 492, 0, 0.0),
        new Checkpoint(180, 922, 0, 224, 0.9),
        new Checkpoint(240, 929, 0, 633, 0.9));
  }

  @Test
  void afterAnOutageAcceptsBringTheProbabilityBackToZeroWithinTwoWindows() {
    List<Line> trace = read("recovery.trace");
    Replay replay = replay(trace, 60, 120, 150, 180, 240, 300, 360);
    // The backend is back at 120 s; the window is then full of rejections, which accepts outweigh only
    // slowly: while capped, one request in ten reaches the backend. The probability is zero for good from
    // 356.8 s, nearly two windows later.
    assertThat(zeroForGoodFrom(trace, replay)).isEqualTo(356_813);

    assertThat(replay.checkpoints()).containsExactly(
        new Checkpoint(60, 506, 0, 463, 0.9),
        new Checkpoint(120, 948, 0, 876, 0.9),
        new Checkpoint(150, 951, 28, 1108, 0.9),
        new Checkpoint(180, 952, 49, 1330, 854.0 / 953),
        new Checkpoint(240, 961, 111, 1733, 739.0 / 962),
        new Checkpoint(300, 928, 212, 2054, 504.0 / 929),
        new Checkpoint(360, 944, 490, 2199, 0.0));
  }

  @Test
  void aLowerCapOrAShorterWindowRecoversSooner() {
    List<Line> trace = read("recovery.trace");

    long defaults = zeroForGoodFrom(trace, replay(trace));
    long lowerCap = zeroForGoodFrom(trace, replay(trace, o -> o.maxRejectionProbability(0.5)));
    long shorterWindow = zeroForGoodFrom(trace, replay(trace, o -> o.samplingWindow(Duration.ofMinutes(1))));

    // The backend is back at 120 s: zero after 237 s with the defaults, after 105 s with a cap of 0.5 (half
    // the requests reach the backend while capped), after 113 s with a window of one minute.
    assertThat(defaults).isEqualTo(356_813);
    assertThat(lowerCap).isEqualTo(225_240);
    assertThat(shorterWindow).isEqualTo(232_978);
  }

  /** The time of the first line from which on the probability stays zero, after the trace's first shedding. */
  private static long zeroForGoodFrom(List<Line> trace, Replay replay) {
    int back = replay.probabilities().size() - 1;
    while (replay.probabilities().get(back - 1) == 0.0) {
      back--;
    }
    return trace.get(back).millis();
  }

  // ---------------------------------------------------------------------------------------------------
  // Replaying

  /** Replays {@code trace}, checking every decision against the reference model; reads figures at the seconds given. */
  private static Replay replay(List<Line> trace, long... checkpointSeconds) {
    return replay(trace, UnaryOperator.identity(), checkpointSeconds);
  }

  private static Replay replay(
      List<Line> trace, UnaryOperator<AdaptiveThrottleConfig.Builder> options, long... checkpointSeconds) {
    ManualTicker ticker = new ManualTicker(START);
    AdaptiveThrottleConfig config =
        options.apply(AdaptiveThrottleConfig.builder()
                .recordResult(r -> ((Response) r).status() >= 500)
                .random(new Random(SEED))
                .ticker(ticker))
            .build();
    AdaptiveThrottle throttle = AdaptiveThrottle.of("backend", config);
    ReferenceModel model = new ReferenceModel(config, SEED);
    List<Boolean> admitted = new ArrayList<>();
    List<Double> probabilities = new ArrayList<>();
    List<Checkpoint> checkpoints = new ArrayList<>();
    int next = 0;
    for (Line line : trace) {
      long nanos = Duration.ofMillis(line.millis()).toNanos();
      while (next < checkpointSeconds.length && Duration.ofSeconds(checkpointSeconds[next]).toNanos() <= nanos) {
        checkpoints.add(checkpoint(throttle, ticker, checkpointSeconds[next++]));
      }
      ticker.set(START + nanos);
      probabilities.add(throttle.metrics().rejectionProbability());
      boolean expected = model.admit(nanos);
      boolean ran = send(throttle, line);
      assertThat(ran).as("the decision at %d ms", line.millis()).isEqualTo(expected);
      if (ran) {
        model.answered(nanos, line.accepted());
      }
      admitted.add(ran);
    }
    while (next < checkpointSeconds.length) {
      checkpoints.add(checkpoint(throttle, ticker, checkpointSeconds[next++]));
    }
    return new Replay(admitted, probabilities, checkpoints);
  }

  private static Checkpoint checkpoint(AdaptiveThrottle throttle, ManualTicker ticker, long second) {
    ticker.set(START + Duration.ofSeconds(second).toNanos());
    AdaptiveThrottle.Metrics m = throttle.metrics();
    double excess = m.numberOfRequests() - throttle.config().k() * m.numberOfAccepts();
    assertThat(m.rejectionProbability())
        .as("the formula at %d s", second)
        .isEqualTo(excess <= 0
            ? 0.0
            : Math.min(throttle.config().maxRejectionProbability(), excess / (m.numberOfRequests() + 1)));
    return new Checkpoint(
        second, m.numberOfRequests(), m.numberOfAccepts(), m.totalRejectedRequests(), m.rejectionProbability());
  }

  /** Sends one request of the trace; false if the throttle rejected it. */
  private static boolean send(AdaptiveThrottle throttle, Line line) {
    try {
      throttle.executeCallable(() -> {
        if (line.answer().equals("timeout")) {
          throw new TimeoutException("no answer within 2 s");
        }
        return new Response(Integer.parseInt(line.answer()));
      });
      return true;
    } catch (CallThrottledException rejected) {
      return false;
    } catch (TimeoutException answered) {
      return true;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The lines, of {@code sent}, whose second lies in the 120 one-second buckets of the window at {@code atMillis}. */
  private static List<Line> inWindow(List<Line> sent, long atMillis) {
    return sent.stream().filter(l -> l.millis() / 1000 > atMillis / 1000 - 120).toList();
  }

  private static long accepts(List<Line> lines) {
    return lines.stream().filter(Line::accepted).count();
  }

  private static List<Line> read(String name) {
    List<Line> lines = new ArrayList<>();
    try (InputStream in = Objects.requireNonNull(TrafficTraceTest.class.getResourceAsStream(name), name);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.trim().split("\\s+");
        lines.add(new Line(Long.parseLong(fields[0]), fields[1]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(lines).isSortedAccordingTo((a, b) -> Long.compare(a.millis(), b.millis()));
    return lines;
  }
}
