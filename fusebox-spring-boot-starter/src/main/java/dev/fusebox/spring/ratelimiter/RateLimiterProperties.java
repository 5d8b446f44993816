package dev.fusebox.spring.ratelimiter;

import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rate limiters under {@code fusebox.ratelimiter}: named configurations ({@code configs.<name>}) and instances
 * ({@code instances.<name>}), each option named as the core names it, in kebab case.
 *
 * <pre>{@code
 * fusebox:
 *   ratelimiter:
 *     instances:
 *       partner-api:
 *         algorithm: TOKEN_BUCKET
 *         limit-for-period: 100
 *         limit-refresh-period: 1s
 *         burst-capacity: 20
 * }</pre>
 *
 * <p>Unknown keys under the prefix fail start-up.
 */
@ConfigurationProperties(prefix = "fusebox.ratelimiter", ignoreUnknownFields = false)
public class RateLimiterProperties extends PolicyProperties<RateLimiterProperties.Instance> {

  /** Creates empty properties, for the binder. */
  public RateLimiterProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.ratelimiter";
  }

  /** The settings of one instance or named configuration; unset options are inherited or the core's defaults. */
  public static class Instance extends PolicyProperties.Entry {

    /** How permits are counted: FIXED_WINDOW, SLIDING_WINDOW or TOKEN_BUCKET. */
    private RateLimiterConfig.Algorithm algorithm;

    /** Permits per refresh period. */
    private Integer limitForPeriod;

    /** The period the limit applies to. */
    private Duration limitRefreshPeriod;

    /** How long a call may wait for its permits; 0 rejects at once. */
    private Duration timeoutDuration;

    /** Tokens a TOKEN_BUCKET holds at most: the largest burst. */
    private Integer burstCapacity;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the option: how permits are counted: FIXED_WINDOW, SLIDING_WINDOW or TOKEN_BUCKET.
     *
     * @return how permits are counted: FIXED_WINDOW, SLIDING_WINDOW or TOKEN_BUCKET; null when unset
     */
    public RateLimiterConfig.Algorithm getAlgorithm() {
      return algorithm;
    }

    /**
     * Chooses how permits are counted (default FIXED_WINDOW).
     *
     * @param algorithm how permits are counted: FIXED_WINDOW, SLIDING_WINDOW or TOKEN_BUCKET; null to leave it
     *     unset
     */
    public void setAlgorithm(RateLimiterConfig.Algorithm algorithm) {
      this.algorithm = algorithm;
    }

    /**
     * Returns the option: permits per refresh period.
     *
     * @return permits per refresh period; null when unset
     */
    public Integer getLimitForPeriod() {
      return limitForPeriod;
    }

    /**
     * Sets the permits per period (at least 1; default 50).
     *
     * @param limitForPeriod permits per refresh period; null to leave it unset
     */
    public void setLimitForPeriod(Integer limitForPeriod) {
      this.limitForPeriod = limitForPeriod;
    }

    /**
     * Returns the option: the period the limit applies to.
     *
     * @return the period the limit applies to; null when unset
     */
    public Duration getLimitRefreshPeriod() {
      return limitRefreshPeriod;
    }

    /**
     * Sets the period the limit applies to (default 1s).
     *
     * @param limitRefreshPeriod the period the limit applies to; null to leave it unset
     */
    public void setLimitRefreshPeriod(Duration limitRefreshPeriod) {
      this.limitRefreshPeriod = limitRefreshPeriod;
    }

    /**
     * Returns the option: how long a call may wait for its permits; 0 rejects at once.
     *
     * @return how long a call may wait for its permits; 0 rejects at once; null when unset
     */
    public Duration getTimeoutDuration() {
      return timeoutDuration;
    }

    /**
     * Sets how long a call may wait for its permits (default 0).
     *
     * @param timeoutDuration how long a call may wait for its permits; 0 rejects at once; null to leave it
     *     unset
     */
    public void setTimeoutDuration(Duration timeoutDuration) {
      this.timeoutDuration = timeoutDuration;
    }

    /**
     * Returns the option: tokens a TOKEN_BUCKET holds at most: the largest burst.
     *
     * @return tokens a TOKEN_BUCKET holds at most: the largest burst; null when unset
     */
    public Integer getBurstCapacity() {
      return burstCapacity;
    }

    /**
     * Sets the largest burst of a token bucket (default limit-for-period).
     *
     * @param burstCapacity tokens a TOKEN_BUCKET holds at most: the largest burst; null to leave it unset
     */
    public void setBurstCapacity(Integer burstCapacity) {
      this.burstCapacity = burstCapacity;
    }
  }
}
