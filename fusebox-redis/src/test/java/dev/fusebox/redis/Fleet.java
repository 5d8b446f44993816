package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Several instances of one service in this JVM: separate {@link RedisSharedState}s with distinct instance
 * ids, sharing Lettuce's event loops to spare threads.
 */
final class Fleet implements AutoCloseable {

  final List<RedisSharedState> states = new ArrayList<>();
  final List<CircuitBreakerRegistry> registries = new ArrayList<>();
  private final ClientResources resources =
      DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();

  Fleet(int size, String uri, String prefix, CircuitBreakerConfig config, Consumer<RedisSharedState.Builder> options) {
    List<CompletableFuture<RedisSharedState>> building = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      RedisSharedState.Builder builder =
          RedisSharedState.builder()
              .uri(uri)
              .keyPrefix(prefix)
              .instanceId("instance-" + i)
              .syncInterval(Duration.ofMillis(200))
              .clientResources(resources);
      options.accept(builder);
      building.add(CompletableFuture.supplyAsync(builder::build));
    }
    try {
      for (CompletableFuture<RedisSharedState> f : building) {
        RedisSharedState state = f.join();
        states.add(state);
        registries.add(state.registry(config));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  int size() {
    return states.size();
  }

  CircuitBreaker breaker(int instance, String name) {
    return registries.get(instance).circuitBreaker(name);
  }

  List<CircuitBreaker> breakers(String name) {
    List<CircuitBreaker> all = new ArrayList<>();
    registries.forEach(r -> all.add(r.circuitBreaker(name)));
    return all;
  }

  /** Waits until every instance has flushed {@code more} more times, so their counts are all in Redis. */
  void awaitFlushes(int more) {
    long[] base = states.stream().mapToLong(s -> s.metrics().flushes()).toArray();
    Poll.until(Duration.ofSeconds(30), "every instance flushed " + more + " more times", () -> {
      for (int i = 0; i < base.length; i++) {
        if (states.get(i).metrics().flushes() < base[i] + more) {
          return false;
        }
      }
      return true;
    });
  }

  /** Waits until every instance knows the fleet state of {@code name} (its first flush of it is back). */
  void awaitKnown(String name) {
    Poll.until(Duration.ofSeconds(30), "every instance knows breaker " + name, () ->
        states.stream().allMatch(s -> s.loop().find(name) != null && s.loop().find(name).knownState() >= 0));
  }

  void awaitMode(RedisSharedState.Mode mode) {
    Poll.until(Duration.ofSeconds(30), "every instance is " + mode,
        () -> states.stream().allMatch(s -> s.mode() == mode));
  }

  @Override
  public void close() {
    states.parallelStream().forEach(RedisSharedState::close);
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
