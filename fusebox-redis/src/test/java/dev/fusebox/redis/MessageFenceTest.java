package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testsupport.Poll;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * State-change messages are hints: a message that claims an opening Redis does not hold (here a 24 h one,
 * at an epoch far ahead) is undone by the next reply, never written into Redis, and never held longer
 * than the breaker's longest wait.
 */
@ExtendWith(RedisToUse.class)
class MessageFenceTest {

  @Test
  void aForgedOpeningDoesNotOutliveTheReplyThatContradictsIt(RedisToUse.Target redis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofMinutes(1)).build();
    try (Fleet fleet = new Fleet(2, redis.uri(), redis.prefix(), config, b -> {})) {
      List<CircuitBreaker> breakers = fleet.breakers("a");
      fleet.awaitKnown("a");
      long[] before = fleet.states.stream().mapToLong(s -> s.loop().messages.sum()).toArray();

      redis.commands().publish(FlushScript.channel(redis.prefix()), "1 99999999999999 86400000 a");
      Poll.until(Duration.ofSeconds(10), "every instance received the message", () ->
          fleet.states.get(0).loop().messages.sum() > before[0] && fleet.states.get(1).loop().messages.sum() > before[1]);
      // A message is counted when it arrives and applied by the sync thread after: only a flush completed
      // after the count is sure to have come after the message, and its reply is what undoes the opening.
      long[] flushes = fleet.states.stream().mapToLong(s -> s.metrics().flushes()).toArray();
      Poll.until(Duration.ofSeconds(10), "every instance flushed after the message", () ->
          fleet.states.get(0).metrics().flushes() > flushes[0] && fleet.states.get(1).metrics().flushes() > flushes[1]);
      Poll.until(Duration.ofSeconds(10), "every instance admits calls again",
          () -> breakers.stream().allMatch(Calls::succeed));

      String[] keys = FlushScript.keys(redis.prefix(), "a");
      assertThat(redis.commands().hget(keys[0], "st")).isEqualTo("0");
      assertThat(redis.commands().hget(keys[0], "ep")).isNotEqualTo("99999999999999");
      for (RedisSharedState state : fleet.states) {
        Poll.until(Duration.ofSeconds(10), "the instance knows the fleet is closed",
            () -> state.loop().find("a").knownState() == FlushScript.CLOSED);
      }
      breakers.forEach(b -> assertThat(Calls.succeed(b, 20)).isEqualTo(20));
      breakers.forEach(b -> assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED));
    }
  }
}
