package dev.fusebox.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerRegistryFactory;
import dev.fusebox.testsupport.Poll;
import dev.fusebox.testsupport.RedisServer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With {@code fusebox.redis.uri}, two instances of an application share their breakers through a real
 * redis-server, started on a free port for this class.
 */
class RedisSharingTest {

  /** Generous: the machine may be loaded; a passing test waits only as long as the sync takes. */
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static ApplicationContextRunner instance() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxRedisAutoConfiguration.class, FuseboxAutoConfiguration.class))
        .withPropertyValues(
            "fusebox.redis.uri=" + redis.uri(),
            "fusebox.redis.key-prefix=fbspring",
            "fusebox.redis.sync-interval=50ms",
            "fusebox.redis.key-ttl=1m",
            "fusebox.circuitbreaker.instances.shared.count-based-window=4",
            "fusebox.circuitbreaker.instances.shared.wait-duration-in-open-state=1h");
  }

  @Test
  void anOpeningInOneInstanceOpensTheSameBreakerInTheOther() {
    instance().run(first -> instance().run(second -> {
      assertThat(first).hasSingleBean(RedisSharedState.class);
      CircuitBreaker a = first.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      CircuitBreaker b = second.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      RedisSharedState sharedA = first.getBean(RedisSharedState.class);
      Poll.until(LIMIT, "the first instance's first flush", () -> sharedA.metrics().flushes() > 0);
      for (int i = 0; i < 4; i++) {
        a.onError(0, new IOException("down"));
      }
      assertThat(a.state()).isEqualTo(CircuitBreaker.State.OPEN);
      Poll.until(LIMIT, "the second instance's breaker to open", () -> b.state() == CircuitBreaker.State.OPEN);
      assertThat(b.tryAcquirePermission()).isFalse();
    }));
  }

  @Test
  void staysLocalWithoutTheUriOrWithoutFuseboxRedis() {
    instance().withPropertyValues("fusebox.redis.uri=")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisSharedState.class));
    instance().withClassLoader(new FilteredClassLoader(RedisSharedState.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CircuitBreakerRegistryFactory.class));
  }

  @Test
  void staysLocalWhenTheBreakersOrTheStarterAreSwitchedOff() {
    instance().withPropertyValues("fusebox.circuitbreaker.enabled=false")
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(RedisSharedState.class)
            .doesNotHaveBean(CircuitBreakerRegistry.class));
    instance().withPropertyValues("fusebox.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisSharedState.class));
  }

  @Test
  void namesTheRedisPropertyOfAnInvalidValue() {
    instance().withPropertyValues("fusebox.redis.sync-interval=1ms")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("fusebox.redis.sync-interval must be"));
  }

  @Test
  void clusterModeReachesTheClient() {
    // The test's Redis is a standalone one: a cluster client refuses it, naming the address as a cluster's.
    // The connect timeout leaves a loaded machine time to connect; the refusal comes once it has.
    instance().withPropertyValues("fusebox.redis.cluster=true", "fusebox.redis.connect-timeout=5s")
        .run(context -> assertThat(context.getStartupFailure())
            .hasStackTraceContaining("(Redis Cluster) cannot be used")
            .rootCause()
            .hasMessageContaining("cluster support disabled"));
  }

  @Test
  void theApplicationsNameIsTheDefaultKeyPrefixSoTwoApplicationsDoNotShareBreakers() {
    String orders = "fbspring-orders";
    String billing = "fbspring-billing";
    named(orders).run(first -> named(billing).run(second -> {
      CircuitBreaker a = first.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      CircuitBreaker b = second.getBean(CircuitBreakerRegistry.class).find("shared").orElseThrow();
      RedisSharedState sharedA = first.getBean(RedisSharedState.class);
      RedisSharedState sharedB = second.getBean(RedisSharedState.class);
      Poll.until(LIMIT, "both applications' first flushes",
          () -> sharedA.metrics().flushes() > 0 && sharedB.metrics().flushes() > 0);
      for (int i = 0; i < 4; i++) {
        a.onError(0, new IOException("down"));
      }
      Poll.until(LIMIT, "the orders application's fleet state to open",
          () -> "1".equals(RedisServer.command(redis.port(), "HGET", "{" + orders + ":shared}:s", "st")));
      long flushes = sharedB.metrics().flushes();
      Poll.until(LIMIT, "the billing application to flush again", () -> sharedB.metrics().flushes() > flushes + 2);
      assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(RedisServer.command(redis.port(), "HGET", "{" + billing + ":shared}:s", "st")).isEqualTo("0");
    }));
  }

  private static ApplicationContextRunner named(String application) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxRedisAutoConfiguration.class, FuseboxAutoConfiguration.class))
        .withPropertyValues(
            "spring.application.name=" + application,
            "fusebox.redis.uri=" + redis.uri(),
            "fusebox.redis.sync-interval=50ms",
            "fusebox.redis.key-ttl=1m",
            "fusebox.circuitbreaker.instances.shared.count-based-window=4",
            "fusebox.circuitbreaker.instances.shared.wait-duration-in-open-state=1h");
  }
}
