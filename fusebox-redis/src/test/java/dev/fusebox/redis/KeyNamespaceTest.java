package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keys and channels of different prefixes and breaker names never meet, however they are spelled. */
@ExtendWith(RedisToUse.class)
class KeyNamespaceTest {

  private static final CircuitBreakerConfig CONFIG =
      CircuitBreakerConfig.builder()
          .countBasedWindow(10)
          .minimumNumberOfCalls(10)
          .waitDurationInOpenState(Duration.ofMinutes(5))
          .build();

  @Test
  void aPrefixWithTheSeparatorAndABreakerNameWithItGetDifferentKeys() {
    List<String[]> pairs =
        List.of(new String[] {"a", "b:c"}, new String[] {"a:b", "c"}, new String[] {"a:b:c", "d"},
            new String[] {"a", "b:c:d"}, new String[] {"a\\", "b"}, new String[] {"a", "\\:b"});
    Set<String> keys = new HashSet<>();
    Set<String> tags = new HashSet<>();
    int count = 0;
    for (String[] pair : pairs) {
      if (pair[0].contains("\\")) {
        continue;
      }
      String tag = FlushScript.hashTag(pair[0], pair[1]);
      tags.add(tag);
      for (String key : FlushScript.keys(pair[0], pair[1])) {
        // One hash tag per breaker: every key of a breaker is in the slot of its tag.
        assertThat(key).startsWith(tag);
        keys.add(key);
        count++;
      }
    }
    assertThat(keys).hasSize(count);
    assertThat(tags).hasSize(5);
    assertThat(FlushScript.channel("a")).isNotEqualTo(FlushScript.channel("a:b"));
    // A prefix without the separator keeps the plain form, which the documented ACL pattern matches.
    assertThat(FlushScript.hashTag("shop", "inventory")).isEqualTo("{shop:inventory}");
    assertThat(FlushScript.keys("a:b", "c")[0]).doesNotStartWith("{a:");
  }

  @Test
  void twoFleetsWhoseNamesWouldHaveJoinedStayApart(RedisToUse.Target redis) {
    String prefix = redis.prefix();
    try (RedisSharedState plain = state(redis, prefix);
        RedisSharedState colon = state(redis, prefix + ":b")) {
      CircuitBreaker outer = plain.registry(CONFIG).circuitBreaker("b:c");
      CircuitBreaker inner = colon.registry(CONFIG).circuitBreaker("c");
      Poll.until(Duration.ofSeconds(20), "both flushed", () -> plain.loop().find("b:c").knownState() >= 0
          && colon.loop().find("c").knownState() >= 0);
      Calls.fail(outer, 10);
      Poll.until(Duration.ofSeconds(20), "the first fleet opened",
          () -> "1".equals(redis.commands().hget(FlushScript.keys(prefix, "b:c")[0], "st")));
      long flushes = colon.metrics().flushes();
      Poll.until(Duration.ofSeconds(20), "the second fleet flushed twice more",
          () -> colon.metrics().flushes() >= flushes + 2);
      assertThat(inner.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(redis.commands().hget(FlushScript.keys(prefix + ":b", "c")[0], "st")).isEqualTo("0");
      // The second fleet's keys do not match the first prefix's ACL pattern, so an ACL scoped to one
      // prefix cannot reach the other's keys.
      assertThat(redis.commands().keys("{" + prefix + "\\\\:b:*")).isNotEmpty();
      assertThat(Arrays.asList(FlushScript.keys(prefix + ":b", "c")))
          .noneMatch(key -> key.startsWith("{" + prefix + ":"));
      // RedisToUse deletes only the first prefix's keys.
      redis.commands().del(FlushScript.keys(prefix + ":b", "c"));
    }
  }

  @Test
  void aPrefixWithABackslashIsRejectedNamingTheOptionAndTheValue() {
    assertThatThrownBy(() -> RedisSharedState.builder().uri("redis://127.0.0.1:1").keyPrefix("a\\b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix")
        .hasMessageContaining("'a\\b'");
    assertThatThrownBy(() -> RedisSharedState.builder().uri("redis://127.0.0.1:1").keyPrefix("").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix")
        .hasMessageContaining("''");
  }

  private static RedisSharedState state(RedisToUse.Target redis, String prefix) {
    return RedisSharedState.builder()
        .uri(redis.uri())
        .keyPrefix(prefix)
        .syncInterval(Duration.ofMillis(50))
        .build();
  }
}
