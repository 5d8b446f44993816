package dev.fusebox.spring.bulkhead;

import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bulkheads (semaphore bulkheads) under {@code fusebox.bulkhead}: named configurations ({@code configs.<name>}) and instances
 * ({@code instances.<name>}), each option named as the core names it, in kebab case.
 *
 * <pre>{@code
 * fusebox:
 *   bulkhead:
 *     instances:
 *       inventory:
 *         max-concurrent-calls: 10
 *         max-wait-duration: 20ms
 * }</pre>
 *
 * <p>Unknown keys under the prefix fail start-up.
 */
@ConfigurationProperties(prefix = "fusebox.bulkhead", ignoreUnknownFields = false)
public class BulkheadProperties extends PolicyProperties<BulkheadProperties.Instance> {

  /** Creates empty properties, for the binder. */
  public BulkheadProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.bulkhead";
  }

  /** The settings of one instance or named configuration; unset options are inherited or the core's defaults. */
  public static class Instance extends PolicyProperties.Entry {

    /** Calls that may run at the same time. */
    private Integer maxConcurrentCalls;

    /** How long a blocking caller waits for a permit; 0 rejects at once. */
    private Duration maxWaitDuration;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the option: calls that may run at the same time.
     *
     * @return calls that may run at the same time; null when unset
     */
    public Integer getMaxConcurrentCalls() {
      return maxConcurrentCalls;
    }

    /**
     * Sets how many calls may run at once (at least 1; default 25).
     *
     * @param maxConcurrentCalls calls that may run at the same time; null to leave it unset
     */
    public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
      this.maxConcurrentCalls = maxConcurrentCalls;
    }

    /**
     * Returns the option: how long a blocking caller waits for a permit; 0 rejects at once.
     *
     * @return how long a blocking caller waits for a permit; 0 rejects at once; null when unset
     */
    public Duration getMaxWaitDuration() {
      return maxWaitDuration;
    }

    /**
     * Sets how long a blocking caller waits for a permit (default 0: reject at once).
     *
     * @param maxWaitDuration how long a blocking caller waits for a permit; 0 rejects at once; null to leave it
     *     unset
     */
    public void setMaxWaitDuration(Duration maxWaitDuration) {
      this.maxWaitDuration = maxWaitDuration;
    }
  }
}
