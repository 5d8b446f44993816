package dev.fusebox.spring.timelimiter;

import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Time limiters under {@code fusebox.timelimiter}: named configurations ({@code configs.<name>}) and
 * instances ({@code instances.<name>}).
 *
 * <pre>{@code
 * fusebox:
 *   timelimiter:
 *     instances:
 *       search:
 *         timeout-duration: 300ms
 * }</pre>
 *
 * <p>Unknown keys under the prefix fail start-up.
 */
@ConfigurationProperties(prefix = "fusebox.timelimiter", ignoreUnknownFields = false)
public class TimeLimiterProperties extends PolicyProperties<TimeLimiterProperties.Instance> {

  /** Creates empty properties, for the binder. */
  public TimeLimiterProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.timelimiter";
  }

  /** The settings of one time limiter or named configuration. */
  public static class Instance extends PolicyProperties.Entry {

    /** How long a caller waits for the call. */
    private Duration timeoutDuration;

    /** Whether a call that times out is cancelled (its thread interrupted). */
    private Boolean cancelRunningFuture;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the timeout.
     *
     * @return how long a caller waits for the call; null when unset
     */
    public Duration getTimeoutDuration() {
      return timeoutDuration;
    }

    /**
     * Sets how long a caller waits for the call (positive; default 1s).
     *
     * @param timeoutDuration how long a caller waits for the call; null to leave it unset
     */
    public void setTimeoutDuration(Duration timeoutDuration) {
      this.timeoutDuration = timeoutDuration;
    }

    /**
     * Returns whether a timed-out call is cancelled.
     *
     * @return whether a call that times out is cancelled (its thread interrupted); null when unset
     */
    public Boolean getCancelRunningFuture() {
      return cancelRunningFuture;
    }

    /**
     * Whether a call that times out is cancelled (default true).
     *
     * @param cancelRunningFuture whether a call that times out is cancelled (its thread interrupted); null to
     *     leave it unset
     */
    public void setCancelRunningFuture(Boolean cancelRunningFuture) {
      this.cancelRunningFuture = cancelRunningFuture;
    }
  }
}
