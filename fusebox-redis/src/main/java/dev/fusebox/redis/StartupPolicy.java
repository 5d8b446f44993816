package dev.fusebox.redis;

/**
 * What {@link RedisSharedState.Builder#build()} does when Redis cannot be reached within the connect
 * timeout. Either way {@code build()} returns or throws within that timeout: it never hangs.
 *
 * <pre>{@code
 * RedisSharedState shared = RedisSharedState.builder()
 *     .uri("redis://redis.internal:6379")
 *     .startupPolicy(StartupPolicy.START_DEGRADED)   // the service starts even if Redis is down
 *     .build();
 * }</pre>
 */
public enum StartupPolicy {

  /**
   * {@code build()} throws an {@link IllegalStateException} naming the URI and the cause. The default: a
   * wrong address or a missing Redis shows at deployment instead of as a quietly local fleet.
   */
  FAIL,

  /**
   * {@code build()} logs a warning and returns a state in {@link RedisSharedState.Mode#DEGRADED} mode,
   * which applies the {@link DegradedPolicy} and keeps trying to connect, with backoff; once Redis answers
   * it switches to {@link RedisSharedState.Mode#SHARED} by itself.
   */
  START_DEGRADED
}
