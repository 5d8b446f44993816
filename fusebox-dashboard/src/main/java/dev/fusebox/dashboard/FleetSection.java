package dev.fusebox.dashboard;

import java.util.Collection;

/**
 * The fleet's part of the breakers' section, in the dashboard's own types, so that only {@link FleetView}
 * (created when a {@code RedisSharedState} is given) names fusebox-redis, and the dashboard runs without it.
 */
interface FleetSection {

  /** On the sampler thread, every tick: refreshes what the fleet shows, no more often than it needs. */
  void sample(Collection<String> breakers, long nanos);

  /** Writes the section's {@code fleet} member. */
  void writeDescription(JsonWriter json);

  /** Writes one breaker's {@code fleet} member. */
  void writeBreaker(String name, JsonWriter json);

  /**
   * Carries out {@code action} on breaker {@code name} for the whole fleet.
   *
   * @throws IllegalArgumentException when the action is not one the fleet has, or the fleet cannot be reached
   */
  void act(String name, String action, String reason, long durationMillis, Collection<String> breakers);

  /** Stops following the fleet's events. Idempotent. */
  void close();
}
