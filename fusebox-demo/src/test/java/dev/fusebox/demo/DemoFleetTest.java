package dev.fusebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.testsupport.Poll;
import dev.fusebox.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --redis}: two demo instances in one JVM, distinct instance ids, one breaker shared through Redis.
 * An outage of the first instance's upstream opens the second instance's breaker, though the second never
 * saw a failure: its own upstream stays healthy (the test keeps the instances' upstreams apart) and it
 * sends few calls, so the fleet's window is the first instance's calls, and the fleet opens for both.
 *
 * <p>Starts a redis-server of its own on a free port (fusebox-test-support's {@link RedisServer}) and stops
 * it afterwards, so it never depends on, nor writes to, a Redis the machine may run.
 */
class DemoFleetTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private RedisServer redis;
  private String uri;
  private String prefix;
  private DemoApp first;
  private DemoApp second;

  @AfterEach
  void stop() {
    for (DemoApp app : new DemoApp[] {first, second}) {
      if (app != null) {
        app.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void anOutageSeenByOneInstanceOpensTheOtherInstancesBreaker() throws Exception {
    redis = RedisServer.start();
    uri = redis.uri();
    prefix = "fbdemo-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    first = new DemoApp(options(1, 20), List.of(), false, null);
    second = new DemoApp(options(2, 2), List.of(), false, null);
    assertThat(first.shared.instanceId()).isEqualTo("demo-1");
    assertThat(second.shared.instanceId()).isEqualTo("demo-2");
    first.apply("healthy");
    second.apply("healthy");
    first.start();
    second.start();
    CircuitBreaker breakerOfFirst = first.policies.breakers.circuitBreaker(Policies.NAME);
    CircuitBreaker breakerOfSecond = second.policies.breakers.circuitBreaker(Policies.NAME);
    waitUntil("both instances to share their breakers", () -> first.shared.mode() == RedisSharedState.Mode.SHARED
        && second.shared.mode() == RedisSharedState.Mode.SHARED && first.shared.metrics().flushes() > 2
        && second.shared.metrics().flushes() > 2);
    assertThat(breakerOfSecond.state()).isEqualTo(CircuitBreaker.State.CLOSED);

    first.apply("outage");

    waitUntil("the first instance's breaker to open", () -> breakerOfFirst.state() == CircuitBreaker.State.OPEN);
    try {
      waitUntil("the second instance's breaker to open", () -> breakerOfSecond.state() == CircuitBreaker.State.OPEN);
    } catch (AssertionError e) {
      // What each side saw, so that a failure on a CI machine says where the opening stopped.
      throw new AssertionError(e.getMessage() + "; first " + first.shared.metrics() + " " + breakerOfFirst.metrics()
          + "; second " + second.shared.metrics() + " " + breakerOfSecond.metrics(), e);
    }
    // The second instance's own upstream is fine: its breaker is open because the fleet's is.
    assertThat(DemoApp.upstreamState(second.policies.upstreamChaos().settings())).isEqualTo("HEALTHY");
    assertThat(second.policies.upstreamChaos().metrics().numberOfInjectedFaults()).isZero();
    assertThat(breakerOfSecond.metrics().totalFailedCalls()).isZero();
    assertThat(second.fleetCard().facts()).extracting(f -> f.label() + "=" + f.value())
        .contains("Instance=demo-2", "Fleet breaker state here=OPEN");
    assertThat(second.fleetCard().state()).isEqualTo("SHARED");
  }

  private Options options(int instance, int rate) {
    Options options = Options.parse("--redis", uri, "--instance", String.valueOf(instance), "--rate", String.valueOf(rate),
        "--timeout", "1s", "--no-story");
    options.shareUpstream = false;
    options.keyPrefix = prefix;
    options.port = 0;
    options.hangFor = Duration.ofSeconds(2);
    options.breakerWait = Duration.ofSeconds(30);
    options.syncInterval = Duration.ofMillis(100);
    options.console = false;
    return options;
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    Poll.until(DEADLINE, what, condition);
  }
}
