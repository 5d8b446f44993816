package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AUTH and ACL against a real redis-server: the minimal ACL user of docs/redis.md, applied as written
 * there, is enough for a fleet to share a breaker (flushes, the script's own commands, the state-change
 * channel), and no more; credentials come from the URI, from the builder or from a provider.
 */
class AclTest {

  private static final String PREFIX = "shop";
  private static final String USER = "fusebox-shop";
  static final String PASSWORD = "s3cret-for-tests";
  private static final CircuitBreakerConfig CONFIG =
      CircuitBreakerConfig.builder()
          .countBasedWindow(10)
          .minimumNumberOfCalls(10)
          .waitDurationInOpenState(Duration.ofMinutes(5))
          .build();

  private static RedisServer server;

  @BeforeAll
  static void startRedisWithTheDocumentedUser() {
    server = RedisServer.start();
    List<String> words = new ArrayList<>(List.of("ACL", "SETUSER"));
    words.addAll(List.of(documentedAcl().split(" ")));
    String reply = RedisServer.command(server.port, words.toArray(String[]::new));
    assertThat(reply).as(String.join(" ", words)).isEqualTo("+OK");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * The ACL SETUSER line of docs/redis.md (its {@code fusebox-shop} user, prefix {@code shop}), with the
   * test's password in place of the placeholder.
   */
  static String documentedAcl() {
    Matcher m = Pattern.compile("ACL SETUSER (fusebox-shop [^\\n`]+)").matcher(docs());
    assertThat(m.find()).as("docs/redis.md shows an ACL SETUSER line for user fusebox-shop").isTrue();
    return m.group(1).trim().replace(">change-me", ">" + PASSWORD);
  }

  private static String docs() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path doc = dir.resolve("docs/redis.md");
      if (Files.exists(doc)) {
        try {
          return Files.readString(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException("docs/redis.md not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void theDocumentedAclAllowsEveryCommandTheScriptsCall() throws IOException {
    String script;
    try (var in = FlushScript.class.getResourceAsStream("flush.lua");
        var fleet = FleetScript.class.getResourceAsStream("fleet.lua")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8) + new String(fleet.readAllBytes(), StandardCharsets.UTF_8);
    }
    Set<String> called = new LinkedHashSet<>();
    Matcher m = Pattern.compile("redis\\.(?:p?call)\\(\\s*'([A-Za-z]+)'").matcher(script);
    while (m.find()) {
      called.add(m.group(1).toLowerCase(Locale.ROOT));
    }
    assertThat(called).isNotEmpty();
    String acl = documentedAcl();
    assertThat(called).allSatisfy(command -> assertThat(acl).contains("+" + command));
  }

  @Test
  void aFleetSharesABreakerAsTheMinimalAclUserFromTheUri() {
    String uri = "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port;
    try (RedisSharedState first = state(RedisSharedState.builder().uri(uri), "first");
        RedisSharedState second = state(RedisSharedState.builder().uri(uri), "second")) {
      CircuitBreaker a = first.registry(CONFIG).circuitBreaker("payments");
      CircuitBreaker b = second.registry(CONFIG).circuitBreaker("payments");
      Poll.until(Duration.ofSeconds(20), "both flushed", () -> first.loop().find("payments").knownState() >= 0
          && second.loop().find("payments").knownState() >= 0);
      Calls.fail(a, 10);
      Poll.until(Duration.ofSeconds(20), "the other instance follows the fleet's opening",
          () -> b.state() == CircuitBreaker.State.OPEN);
      assertThat(first.mode()).isEqualTo(RedisSharedState.Mode.SHARED);
      assertThat(second.metrics().failedFlushes()).isZero();
      assertThat(second.metrics().messages()).as("the state-change channel is allowed").isPositive();
      // The fleet's administration runs as the same user.
      second.fleet().forceOpen("payments", "INC-9");
      Poll.until(Duration.ofSeconds(20), "the other instance follows the override",
          () -> a.state() == CircuitBreaker.State.FORCED_OPEN);
      assertThat(first.fleet().members()).extracting(FleetMember::instanceId).contains("first", "second");
      assertThat(first.fleet().states("payments")).hasSize(2);
      assertThat(first.fleet().release("payments", "resolved")).isTrue();
    }
    // And no more than that: other keys and other commands are refused to the same user.
    RedisClient client = RedisClient.create("redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port);
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      assertThat(conn.sync().hget("{shop:payments}:s", "st")).isEqualTo("1");
      assertThatThrownBy(() -> conn.sync().hget("{other:payments}:s", "st")).hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> conn.sync().publish("other:changes", "1 1 1 payments"))
          .hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> conn.sync().get("{shop:payments}:s")).hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> conn.sync().flushall()).hasMessageContaining("NOPERM");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void usernameAndPasswordCanBeBuilderOptions() {
    try (RedisSharedState state =
        state(RedisSharedState.builder().uri("redis://127.0.0.1:" + server.port).username(USER).password(PASSWORD),
            "options")) {
      state.registry(CONFIG).circuitBreaker("orders");
      Poll.until(Duration.ofSeconds(20), "flushed", () -> state.metrics().flushes() >= 2);
      assertThat(state.metrics().failedFlushes()).isZero();
    }
  }

  @Test
  void aCredentialsProviderIsAskedAgainOnReconnectionSoARotatedPasswordIsPickedUp() {
    AtomicReference<String> current = new AtomicReference<>(PASSWORD);
    AtomicInteger asked = new AtomicInteger();
    RedisCredentialsProvider provider = RedisCredentialsProvider.from(() -> {
      asked.incrementAndGet();
      return RedisCredentials.just(USER, current.get());
    });
    try (RedisSharedState state =
        state(RedisSharedState.builder().uri("redis://127.0.0.1:" + server.port).credentialsProvider(provider),
            "provider")) {
      state.registry(CONFIG).circuitBreaker("orders");
      Poll.until(Duration.ofSeconds(20), "flushed", () -> state.metrics().flushes() >= 2);
      int before = asked.get();
      assertThat(before).isPositive();
      // The password rotates: Redis gets the new one, the provider hands it out, old connections go.
      assertThat(RedisServer.command(server.port, "ACL", "SETUSER", USER, "resetpass", ">rotated-" + PASSWORD))
          .isEqualTo("+OK");
      current.set("rotated-" + PASSWORD);
      RedisServer.command(server.port, "CLIENT", "KILL", "USER", USER);
      long flushes = state.metrics().flushes();
      Poll.until(Duration.ofSeconds(30), "flushing again with the rotated password",
          () -> state.metrics().flushes() > flushes + 2 && state.mode() == RedisSharedState.Mode.SHARED);
      assertThat(asked.get()).isGreaterThan(before);
    } finally {
      RedisServer.command(server.port, "ACL", "SETUSER", USER, "resetpass", ">" + PASSWORD);
    }
  }

  @Test
  void aWrongPasswordFailsTheStartWithoutPrintingIt() {
    assertThatThrownBy(() -> state(RedisSharedState.builder()
            .uri("redis://" + USER + ":wrong-password@127.0.0.1:" + server.port), "wrong"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be used")
        .hasMessageNotContaining("wrong-password");
  }

  @Test
  void credentialsGivenTwiceAreRejectedNamingBothPlaces() {
    String uri = "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port;
    assertThatThrownBy(() -> RedisSharedState.builder().uri(uri).password("other").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password")
        .hasMessageContaining("uri")
        .hasMessageNotContaining(PASSWORD);
    RedisCredentialsProvider provider = RedisCredentialsProvider.from(() -> RedisCredentials.just(USER, PASSWORD));
    assertThatThrownBy(() -> RedisSharedState.builder().uri("redis://127.0.0.1:" + server.port)
            .username(USER).credentialsProvider(provider).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentialsProvider");
    assertThatThrownBy(() -> RedisSharedState.builder().password((String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("password must not be null");
  }

  private static RedisSharedState state(RedisSharedState.Builder builder, String id) {
    return builder.keyPrefix(PREFIX).instanceId(id).syncInterval(Duration.ofMillis(100)).build();
  }
}
