package dev.fusebox.spring.actuate;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code circuitbreakers} endpoint may do with the fleet, in JDK types only: the endpoint's
 * operations are found by reflection, which must not meet a fusebox-redis type when fusebox-redis is absent.
 * {@link RedisFleetAccess} is the one implementation, created only when fusebox-redis is on the class path.
 */
interface FleetAccess {

  /** Whether breakers are shared at all (a {@code RedisSharedState} bean exists). */
  boolean present();

  /** Every override in force, by breaker name, each as the endpoint shows it. */
  Map<String, Object> overrides();

  /** One breaker's fleet: its override if any, and each live instance's state. */
  Map<String, Object> describe(String breaker);

  /**
   * Carries out {@code action} (force-open, disable, close) for the whole fleet.
   *
   * @return the override set, or {@code {"released": true|false}}
   */
  Map<String, Object> act(String breaker, String action, String reason, @Nullable Duration duration);
}
