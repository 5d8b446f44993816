package dev.fusebox.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.CapturingLogger.Line;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventLoggerTest {

  private static final Pattern NOT_LOGGED = Pattern.compile("; (\\d+) rejections not logged since the last line$");

  private final ManualTicker ticker = new ManualTicker();
  private final CapturingLogger logger = new CapturingLogger();
  private final EventLoggerConfig config =
      EventLoggerConfig.builder().logger(logger).ticker(ticker).rejectionLogPeriod(Duration.ofSeconds(1)).build();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Breakers.config(ticker));

  @Test
  void logsOpeningsAtWarningAndOtherTransitionsAtInfo() {
    EventLogger.attach(registry, config);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    Breakers.trip(inventory);
    ticker.advance(Breakers.WAIT);
    Breakers.succeed(inventory, 1);
    inventory.transitionToForcedOpenState();
    inventory.reset();

    assertThat(logger.lines())
        .containsExactly(
            new Line(Level.WARNING, "Circuit breaker 'inventory' failure rate 100.0% reached its threshold"),
            new Line(Level.WARNING, "Circuit breaker 'inventory' changed from CLOSED to OPEN"),
            new Line(Level.INFO, "Circuit breaker 'inventory' changed from OPEN to HALF_OPEN"),
            new Line(Level.INFO, "Circuit breaker 'inventory' changed from HALF_OPEN to CLOSED"),
            new Line(Level.WARNING, "Circuit breaker 'inventory' changed from CLOSED to FORCED_OPEN"),
            new Line(Level.INFO, "Circuit breaker 'inventory' changed from FORCED_OPEN to CLOSED"),
            new Line(Level.INFO, "Circuit breaker 'inventory' was reset"));
  }

  @Test
  void logsSlowCallRateExceededAtWarning() {
    CircuitBreaker slow = CircuitBreaker.of(
        "slow",
        Breakers.config(ticker).toBuilder()
            .slowCallDurationThreshold(Duration.ofSeconds(1))
            .slowCallRateThreshold(50)
            .failureRateThreshold(100)
            .build());
    EventLogger.attach(slow, config);
    for (int i = 0; i < 4; i++) {
      slow.executeSupplier(() -> ticker.advance(Duration.ofSeconds(2)));
    }

    assertThat(logger.lines())
        .containsExactly(
            new Line(Level.WARNING, "Circuit breaker 'slow' slow-call rate 100.0% reached its threshold"),
            new Line(Level.WARNING, "Circuit breaker 'slow' changed from CLOSED to OPEN"));
  }

  @Test
  void logsNoCallOutcomes() {
    EventLogger.attach(registry, config);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    Breakers.succeed(inventory, 5);
    Breakers.fail(inventory, 1);

    assertThat(logger.lines()).isEmpty();
  }

  @Test
  void writesAtMostOneRejectionLinePerPeriodUnderAFloodAndAccountsForEveryRejection() {
    EventLogger.attach(registry, config);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    inventory.transitionToOpenState();
    int flood = 1_000_000;
    for (int i = 0; i < flood; i++) {
      Breakers.attempt(inventory, 1);
      ticker.advance(Duration.ofNanos(10_000)); // 10 s in all, ten periods
    }
    inventory.transitionToClosedState();

    List<Line> rejectionLines =
        logger.lines().stream().filter(l -> l.message().contains("is rejecting calls")).toList();
    assertThat(rejectionLines).hasSize(10).allMatch(l -> l.level() == Level.INFO);
    assertThat(rejectionLines.get(0).message())
        .isEqualTo("Circuit breaker 'inventory' is rejecting calls (OPEN)");
    assertThat(rejectionLines.get(1).message())
        .isEqualTo(
            "Circuit breaker 'inventory' is rejecting calls (OPEN); 99999 rejections not logged since the"
                + " last line");
    assertThat(logger.messages().get(logger.messages().size() - 1))
        .isEqualTo(
            "Circuit breaker 'inventory' changed from OPEN to CLOSED; 99999 rejections not logged since"
                + " the last line");
    assertThat(rejectionLines.size() + reportedNotLogged()).isEqualTo(flood);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "origin {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {Long.MIN_VALUE, Long.MAX_VALUE - 500_000_000L})
  void rejectionLinesArePacedByThePeriodWhereverTheTickerStarts(long origin) {
    ManualTicker wrapping = new ManualTicker(origin);
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(Breakers.config(wrapping));
    EventLogger.attach(breakers, config.toBuilder().ticker(wrapping).build());
    CircuitBreaker inventory = breakers.circuitBreaker("inventory");
    inventory.transitionToOpenState();

    Breakers.attempt(inventory, 1);
    wrapping.advance(Duration.ofMillis(999));
    Breakers.attempt(inventory, 1);
    wrapping.advance(Duration.ofMillis(1));
    Breakers.attempt(inventory, 1);

    assertThat(logger.lines().stream().filter(l -> l.message().contains("is rejecting calls")))
        .extracting(Line::message)
        .containsExactly(
            "Circuit breaker 'inventory' is rejecting calls (OPEN)",
            "Circuit breaker 'inventory' is rejecting calls (OPEN); 1 rejections not logged since the last line");
  }

  @Test
  void concurrentRejectionsWriteOneLinePerPeriod() throws Exception {
    EventLogger.attach(registry, config);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    inventory.transitionToOpenState();
    int threads = 4;
    int perThread = 50_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> flooders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        flooders.add(pool.submit(() -> {
          start.await();
          return Breakers.attempt(inventory, perThread);
        }));
      }
      for (Future<Integer> flooder : flooders) {
        assertThat(flooder.get(60, TimeUnit.SECONDS)).isEqualTo(perThread);
      }
    } finally {
      pool.shutdownNow();
    }
    inventory.transitionToClosedState();

    assertThat(logger.messages().stream().filter(m -> m.contains("is rejecting calls"))).hasSize(1);
    assertThat(1 + reportedNotLogged()).isEqualTo(threads * perThread);
  }

  @Test
  void rateLimitsEachBreakerOnItsOwn() {
    EventLogger.attach(registry, config);
    CircuitBreaker a = registry.circuitBreaker("a");
    CircuitBreaker b = registry.circuitBreaker("b");
    a.transitionToOpenState();
    b.transitionToOpenState();
    Breakers.attempt(a, 10);
    Breakers.attempt(b, 10);

    assertThat(logger.messages().stream().filter(m -> m.contains("is rejecting calls")))
        .containsExactly(
            "Circuit breaker 'a' is rejecting calls (OPEN)",
            "Circuit breaker 'b' is rejecting calls (OPEN)");
  }

  @Test
  void forgetsTheRateLimitOfRemovedBreakers() {
    EventLogger.Listener listener = new EventLogger.Listener(config, name -> registry.find(name).isPresent());
    EventLogger.subscribe(registry, listener);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    inventory.transitionToOpenState();
    Breakers.attempt(inventory, 3);
    assertThat(listener.rejections.names()).containsExactly("inventory");
    assertThat(listener.rejections.find("inventory").pending()).isEqualTo(2);

    registry.remove("inventory");

    assertThat(listener.rejections.size()).isZero();
  }

  @Test
  void closingTheSubscriptionStopsLogging() {
    Subscription logging = EventLogger.attach(registry, config);
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    logging.close();
    inventory.transitionToOpenState();
    Breakers.attempt(inventory, 3);

    assertThat(logger.lines()).isEmpty();
    logging.close();
  }

  @Test
  void attachesToOneBreaker() {
    CircuitBreaker alone = CircuitBreaker.of("alone", Breakers.config(ticker));
    Subscription logging = EventLogger.attach(alone, config);
    alone.transitionToOpenState();
    logging.close();
    alone.transitionToClosedState();

    assertThat(logger.messages()).containsExactly("Circuit breaker 'alone' changed from CLOSED to OPEN");
  }

  @Test
  void writesNothingTheLoggerWouldDrop() {
    CapturingLogger warningsOnly = new CapturingLogger() {
      @Override
      public boolean isLoggable(Level level) {
        return level.getSeverity() >= Level.WARNING.getSeverity();
      }
    };
    EventLogger.attach(registry, config.toBuilder().logger(warningsOnly).build());
    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    inventory.transitionToOpenState();
    Breakers.attempt(inventory, 2);
    inventory.transitionToClosedState();

    assertThat(warningsOnly.messages()).containsExactly("Circuit breaker 'inventory' changed from CLOSED to OPEN");
  }

  private long reportedNotLogged() {
    long total = 0;
    for (String message : logger.messages()) {
      Matcher m = NOT_LOGGED.matcher(message);
      if (m.find()) {
        total += Long.parseLong(m.group(1));
      }
    }
    return total;
  }
}
