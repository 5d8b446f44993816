package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One instance of the service in a JVM of its own, for {@link MultiJvmTest}: builds a
 * {@link RedisSharedState} and obeys commands read from standard input, one per line, answering each with a
 * line that starts with "> ".
 *
 * <ul>
 *   <li>{@code fail NAME N}: makes N failing calls; answers how many ran</li>
 *   <li>{@code succeed NAME N}: makes N successful calls; answers how many ran</li>
 *   <li>{@code state NAME}: answers the breaker's state</li>
 *   <li>{@code force NAME REASON...}: forces the breaker open on every instance; answers the override's author</li>
 *   <li>{@code release NAME REASON...}: releases the fleet's override; answers whether one was in force</li>
 *   <li>{@code quit}: closes and exits</li>
 * </ul>
 */
public final class SharedStateChild {

  static final CircuitBreakerConfig CONFIG =
      CircuitBreakerConfig.builder()
          .countBasedWindow(10)
          .minimumNumberOfCalls(10)
          .waitDurationInOpenState(Duration.ofMinutes(1))
          .build();

  private SharedStateChild() {}

  public static void main(String[] args) throws Exception {
    try (RedisSharedState state =
        RedisSharedState.builder()
            .uri(args[0])
            .keyPrefix(args[1])
            .instanceId(args[2])
            .syncInterval(Duration.ofMillis(200))
            .build()) {
      CircuitBreakerRegistry registry = state.registry(CONFIG);
      System.out.println("> ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split(" ");
        switch (words[0]) {
          case "fail" -> System.out.println("> " + Calls.fail(registry.circuitBreaker(words[1]), Integer.parseInt(words[2])));
          case "succeed" ->
              System.out.println("> " + Calls.succeed(registry.circuitBreaker(words[1]), Integer.parseInt(words[2])));
          case "state" -> System.out.println("> " + registry.circuitBreaker(words[1]).state());
          case "force" -> System.out.println("> " + state.fleet().forceOpen(words[1], reason(words)).by());
          case "release" -> System.out.println("> " + state.fleet().release(words[1], reason(words)));
          case "quit" -> {
            System.out.println("> bye");
            return;
          }
          default -> System.out.println("> unknown command " + words[0]);
        }
      }
    }
  }

  private static String reason(String[] words) {
    return String.join(" ", java.util.Arrays.copyOfRange(words, 2, words.length));
  }
}
