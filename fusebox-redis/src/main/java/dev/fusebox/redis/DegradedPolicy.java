package dev.fusebox.redis;

/**
 * What shared breakers do while Redis cannot be reached (down, paused, slower than the command timeout, or
 * refusing the script): {@link RedisSharedState.Mode#DEGRADED}. Whatever the policy, nothing a degraded
 * instance does ever touches Redis on a calling thread, an opening already adopted from the fleet is kept
 * until it ends (the shared layer never shortens or closes anything), and the instance goes back to the
 * shared state by itself once Redis answers again.
 *
 * <pre>{@code
 * RedisSharedState shared = RedisSharedState.builder()
 *     .uri("redis://redis.internal:6379")
 *     .degradedPolicy(DegradedPolicy.LAST_KNOWN)
 *     .build();
 * }</pre>
 */
public enum DegradedPolicy {

  /**
   * Every breaker carries on as a plain local breaker: it decides on its own calls only, runs its own
   * half-open trials and ramps by itself. A fleet opening it knows of keeps it open until the opening's end,
   * whether a reply or only a state-change message told it. The default: losing Redis costs the fleet
   * view, nothing else.
   */
  LOCAL,

  /**
   * Keeps applying the last fleet state this instance learned until it runs out: a fleet opening until its
   * end (by this instance's clock, from the remaining time Redis reported); a fleet half-open state for one
   * lease duration after Redis last reported it, during which trials run only on leases already held (no
   * new ones can be had). After that, as {@link #LOCAL}.
   */
  LAST_KNOWN,

  /**
   * Rejects every call while degraded: each breaker is held open, renewed every sync period, so the
   * protected dependency gets no traffic until the fleet's view is back. This is "fail closed" as security
   * says it (deny when the control plane is gone), which for a circuit breaker means held OPEN, not the
   * CLOSED state. Choose it only when an uncoordinated burst of calls is worse than none at all (a
   * dependency that falls over when every instance probes it at once); it turns a Redis outage into an
   * outage of the dependency's callers. Breakers set to a state by hand (forced open, disabled, metrics
   * only) are left alone, and the holds end within two sync periods once Redis is back.
   */
  FAIL_CLOSED
}
