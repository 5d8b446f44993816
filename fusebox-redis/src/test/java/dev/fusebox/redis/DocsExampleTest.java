package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example of docs/redis.md, compiled and run, so that it never rots. Keep the two in step. */
@ExtendWith(RedisToUse.class)
class DocsExampleTest {

  @Test
  void theDocumentedExampleRuns(RedisToUse.Target redis) {
    String redisUri = redis.uri();
    List<String> log = new CopyOnWriteArrayList<>();

    // --- docs/redis.md: example ---
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .failureRateThreshold(50)
        .minimumNumberOfCalls(20)
        .waitDurationInOpenState(Duration.ofSeconds(30))
        .permittedNumberOfCallsInHalfOpenState(5)
        .recoveryRamp(Duration.ofSeconds(30))
        .build();

    try (RedisSharedState shared = RedisSharedState.builder()
        .uri(redisUri)                                 // "redis://redis.internal:6379"
        .keyPrefix(redis.prefix())                     // "checkout", one per service and environment
        .syncInterval(Duration.ofMillis(500))
        .degradedPolicy(DegradedPolicy.LOCAL)
        .startupPolicy(StartupPolicy.START_DEGRADED)
        .build()) {
      shared.onEvent(event -> log.add(event.toString()));

      CircuitBreakerRegistry registry = shared.registry(config);
      CircuitBreaker inventory = registry.circuitBreaker("inventory");
      String stock = inventory.executeSupplier(() -> "42 in stock", failure -> "unknown");
      log.add(stock + " / " + shared.mode());
    }
    // --- end of example ---

    assertThat(log).contains("42 in stock / SHARED");
  }

  /** A stand-in for the application's logger of the docs' snippets. */
  static final class Log {
    final List<String> warnings = new CopyOnWriteArrayList<>();

    void warn(String message) {
      warnings.add(message);
    }
  }

  @Test
  void theDocumentedOverrideListenerCompilesAndHearsTheOverride(RedisToUse.Target redis) {
    Log log = new Log();
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(5)
        .waitDurationInOpenState(Duration.ofMinutes(1)).build();
    try (RedisSharedState shared = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix()).build()) {
      // --- docs/redis.md: overrides ---
      shared.onEvent(event -> {
        switch (event.type()) {
          case LOCAL_CHANGE_OVERRIDDEN, DUPLICATE_INSTANCE_ID, STATE_LOST -> log.warn(event.toString());
          default -> { }
        }
      });
      // --- end of snippet ---
      CircuitBreaker a = shared.registry(config).circuitBreaker("a");
      dev.fusebox.testsupport.Poll.until(Duration.ofSeconds(10), "the fleet state is known",
          () -> shared.loop().find("a").knownState() >= 0);
      Calls.fail(a, 10);
      dev.fusebox.testsupport.Poll.until(Duration.ofSeconds(10), "the fleet opened",
          () -> shared.loop().find("a").knownState() == FlushScript.OPEN);
      a.transitionToClosedState();
      dev.fusebox.testsupport.Poll.until(Duration.ofSeconds(10), "the override is logged",
          () -> log.warnings.stream().anyMatch(w -> w.contains("LocalChangeOverridden")));
    }
  }

  @Test
  void theDocumentedFleetAdministrationRuns(RedisToUse.Target redis) {
    CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();
    try (RedisSharedState shared = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix())
        .instanceId("api-1").syncInterval(Duration.ofMillis(200)).build()) {
      CircuitBreaker payments = shared.registry(config).circuitBreaker("payments");
      // --- docs/redis.md: fleet administration ---
      FleetControl fleet = shared.fleet();
      FleetOverride o = fleet.forceOpen("payments", Duration.ofMinutes(30), "INC-4711: the provider is down");
      java.util.Map<String, CircuitBreaker.State> states = fleet.states("payments");   // {api-1=FORCED_OPEN, ...}
      List<FleetMember> members = fleet.members();                          // id, last heartbeat, mode
      fleet.release("payments", "INC-4711 resolved");                       // back to automatic
      // --- end of snippet ---
      assertThat(o.until()).isPresent();
      assertThat(payments.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(members).extracting(FleetMember::instanceId).contains("api-1");
      // This instance is the only one; its flush of the forced state may or may not be in Redis yet.
      assertThat(states.keySet()).isSubsetOf("api-1");
      assertThat(states.values()).isSubsetOf(CircuitBreaker.State.FORCED_OPEN, CircuitBreaker.State.CLOSED);
    }
  }
}
