/**
 * Fusebox Redis: circuit breakers shared by every instance of a service through Redis, with no Redis on the
 * call path; see {@link dev.fusebox.redis.RedisSharedState}.
 *
 * <p>Lettuce ships an automatic module ({@code lettuce.core} is the name in its manifest), so this module
 * requires it by that name; the build silences the warning about requiring an automatic module.
 */
module dev.fusebox.redis {
  requires transitive dev.fusebox.core;
  requires lettuce.core;

  exports dev.fusebox.redis;
}
