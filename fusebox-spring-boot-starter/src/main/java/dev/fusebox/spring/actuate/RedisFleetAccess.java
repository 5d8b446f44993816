package dev.fusebox.spring.actuate;

import dev.fusebox.redis.FleetControl;
import dev.fusebox.redis.FleetOverride;
import dev.fusebox.redis.RedisSharedState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/** {@link FleetAccess} through the application's {@link RedisSharedState}, looked up on every use. */
final class RedisFleetAccess implements FleetAccess {

  private final ObjectProvider<RedisSharedState> shared;

  RedisFleetAccess(ObjectProvider<RedisSharedState> shared) {
    this.shared = shared;
  }

  private @Nullable FleetControl fleet() {
    RedisSharedState s = shared.getIfAvailable();
    return s == null ? null : s.fleet();
  }

  @Override
  public boolean present() {
    return fleet() != null;
  }

  @Override
  public Map<String, Object> overrides() {
    FleetControl fleet = fleet();
    Map<String, Object> out = new LinkedHashMap<>();
    if (fleet != null) {
      fleet.overrides().forEach((name, o) -> out.put(name, describe(o)));
    }
    return out;
  }

  @Override
  public Map<String, Object> describe(String breaker) {
    FleetControl fleet = fleet();
    Map<String, Object> out = new LinkedHashMap<>();
    if (fleet == null) {
      return out;
    }
    FleetOverride o = fleet.overrides().get(breaker);
    if (o != null) {
      out.put("override", describe(o));
    }
    Map<String, Object> states = new LinkedHashMap<>();
    fleet.states(breaker).forEach((id, state) -> states.put(id, state.name()));
    out.put("states", states);
    return out;
  }

  @Override
  public Map<String, Object> act(String breaker, String action, String reason, @Nullable Duration duration) {
    FleetControl fleet = fleet();
    if (fleet == null) {
      throw new IllegalStateException("breakers are not shared through Redis (no fusebox.redis.uri)");
    }
    return switch (action) {
      case "force-open" -> describe(duration == null
          ? fleet.forceOpen(breaker, reason) : fleet.forceOpen(breaker, duration, reason));
      case "disable" -> describe(fleet.disable(breaker, reason));
      default -> Map.of("released", fleet.release(breaker, reason));
    };
  }

  static Map<String, Object> describe(FleetOverride o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", o.state().name());
    m.put("reason", o.reason());
    m.put("by", o.by());
    m.put("since", o.since().toString());
    o.until().ifPresent(u -> m.put("until", u.toString()));
    return m;
  }
}
