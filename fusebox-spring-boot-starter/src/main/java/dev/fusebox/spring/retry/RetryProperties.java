package dev.fusebox.spring.retry;

import dev.fusebox.retry.RetryConfig;
import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Retries under {@code fusebox.retry}: named configurations ({@code configs.<name>}) and instances
 * ({@code instances.<name>}), each option named as the core names it, in kebab case.
 *
 * <pre>{@code
 * fusebox:
 *   retry:
 *     instances:
 *       inventory:
 *         max-attempts: 4
 *         wait-duration: 200ms
 *         exponential-backoff:
 *           multiplier: 2
 *           max-wait-duration: 2s
 *         jitter: FULL
 * }</pre>
 *
 * <p>Unknown keys under the prefix fail start-up.
 */
@ConfigurationProperties(prefix = "fusebox.retry", ignoreUnknownFields = false)
public class RetryProperties extends PolicyProperties<RetryProperties.Instance> {

  /** Creates empty properties, for the binder. */
  public RetryProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.retry";
  }

  /** The settings of one retry or named configuration; unset options are inherited or the core's defaults. */
  public static class Instance extends PolicyProperties.Entry {

    /** Attempts in all, the first included. */
    private Integer maxAttempts;

    /** Wait before the first retry, and every retry without backoff. */
    private Duration waitDuration;

    /** Exponential backoff: multiplier and max-wait-duration. */
    private ExponentialBackoff exponentialBackoff;

    /** How waits are spread at random: NONE, FULL, EQUAL or DECORRELATED. */
    private RetryConfig.Jitter jitter;

    /** Longest time for a call, its attempts and waits; 0 means no limit. */
    private Duration maxDuration;

    /** Only these exceptions (and subclasses) are retried. */
    private List<Class<? extends Throwable>> retryExceptions;

    /** These exceptions (and subclasses) end the call at once. */
    private List<Class<? extends Throwable>> ignoreExceptions;

    /** Whether a result still to retry after the last attempt becomes an exception. */
    private Boolean failAfterMaxAttempts;

    /** A budget shared by every retry inheriting it: retries as a share of calls. */
    private Budget retryBudget;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the maximum number of attempts.
     *
     * @return attempts in all, the first included; null when unset
     */
    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets the attempts in all, the first included (at least 1; default 3).
     *
     * @param maxAttempts attempts in all, the first included; null to leave it unset
     */
    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * Returns the wait.
     *
     * @return wait before the first retry, and every retry without backoff; null when unset
     */
    public Duration getWaitDuration() {
      return waitDuration;
    }

    /**
     * Sets the wait before a retry (default 500ms).
     *
     * @param waitDuration wait before the first retry, and every retry without backoff; null to leave it unset
     */
    public void setWaitDuration(Duration waitDuration) {
      this.waitDuration = waitDuration;
    }

    /**
     * Returns the exponential backoff.
     *
     * @return exponential backoff: multiplier and max-wait-duration; null when unset
     */
    public ExponentialBackoff getExponentialBackoff() {
      return exponentialBackoff;
    }

    /**
     * Sets the exponential backoff (default off).
     *
     * @param exponentialBackoff exponential backoff: multiplier and max-wait-duration; null to leave it unset
     */
    public void setExponentialBackoff(ExponentialBackoff exponentialBackoff) {
      this.exponentialBackoff = exponentialBackoff;
    }

    /**
     * Returns the jitter.
     *
     * @return how waits are spread at random: NONE, FULL, EQUAL or DECORRELATED; null when unset
     */
    public RetryConfig.Jitter getJitter() {
      return jitter;
    }

    /**
     * Sets how waits are spread (default NONE).
     *
     * @param jitter how waits are spread at random: NONE, FULL, EQUAL or DECORRELATED; null to leave it unset
     */
    public void setJitter(RetryConfig.Jitter jitter) {
      this.jitter = jitter;
    }

    /**
     * Returns the maximum duration.
     *
     * @return longest time for a call, its attempts and waits; 0 means no limit; null when unset
     */
    public Duration getMaxDuration() {
      return maxDuration;
    }

    /**
     * Limits the total time of a call; 0 (the default) means no limit.
     *
     * @param maxDuration longest time for a call, its attempts and waits; 0 means no limit; null to leave it
     *     unset
     */
    public void setMaxDuration(Duration maxDuration) {
      this.maxDuration = maxDuration;
    }

    /**
     * Returns the retried exceptions.
     *
     * @return only these exceptions (and subclasses) are retried; null when unset
     */
    public List<Class<? extends Throwable>> getRetryExceptions() {
      return retryExceptions;
    }

    /**
     * Retries only these exceptions (default: every Exception).
     *
     * @param retryExceptions only these exceptions (and subclasses) are retried; null to leave it unset
     */
    public void setRetryExceptions(List<Class<? extends Throwable>> retryExceptions) {
      this.retryExceptions = retryExceptions;
    }

    /**
     * Returns the ignored exceptions.
     *
     * @return these exceptions (and subclasses) end the call at once; null when unset
     */
    public List<Class<? extends Throwable>> getIgnoreExceptions() {
      return ignoreExceptions;
    }

    /**
     * Never retries these exceptions (default: none).
     *
     * @param ignoreExceptions these exceptions (and subclasses) end the call at once; null to leave it unset
     */
    public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
      this.ignoreExceptions = ignoreExceptions;
    }

    /**
     * Returns whether a result still to retry fails the call.
     *
     * @return whether a result still to retry after the last attempt becomes an exception; null when unset
     */
    public Boolean getFailAfterMaxAttempts() {
      return failAfterMaxAttempts;
    }

    /**
     * Whether a result still to retry after the last attempt throws (default false).
     *
     * @param failAfterMaxAttempts whether a result still to retry after the last attempt becomes an exception;
     *     null to leave it unset
     */
    public void setFailAfterMaxAttempts(Boolean failAfterMaxAttempts) {
      this.failAfterMaxAttempts = failAfterMaxAttempts;
    }

    /**
     * Returns the retry budget.
     *
     * @return a budget shared by every retry inheriting it: retries as a share of calls; null when unset
     */
    public Budget getRetryBudget() {
      return retryBudget;
    }

    /**
     * Sets a retry budget, shared by every retry inheriting it (default none).
     *
     * @param retryBudget a budget shared by every retry inheriting it: retries as a share of calls; null to
     *     leave it unset
     */
    public void setRetryBudget(Budget retryBudget) {
      this.retryBudget = retryBudget;
    }
  }

  /** The two values of {@code exponential-backoff}. */
  public static class ExponentialBackoff {

    /** Factor of each wait over the previous one, at least 1. */
    private Double multiplier;

    /** Longest wait, at least wait-duration. */
    private Duration maxWaitDuration;

    /** Creates an empty backoff, for the binder. */
    public ExponentialBackoff() {}

    /**
     * Returns the multiplier.
     *
     * @return factor of each wait over the previous one, at least 1; null when unset
     */
    public Double getMultiplier() {
      return multiplier;
    }

    /**
     * Sets the factor of each wait over the previous one.
     *
     * @param multiplier factor of each wait over the previous one, at least 1; null to leave it unset
     */
    public void setMultiplier(Double multiplier) {
      this.multiplier = multiplier;
    }

    /**
     * Returns the longest wait.
     *
     * @return longest wait, at least wait-duration; null when unset
     */
    public Duration getMaxWaitDuration() {
      return maxWaitDuration;
    }

    /**
     * Sets the longest wait.
     *
     * @param maxWaitDuration longest wait, at least wait-duration; null to leave it unset
     */
    public void setMaxWaitDuration(Duration maxWaitDuration) {
      this.maxWaitDuration = maxWaitDuration;
    }
  }

  /** The options of {@code retry-budget}; unset ones keep the core's defaults. */
  public static class Budget {

    /** Retries allowed as a percentage of calls. */
    private Double retryPercent;

    /** Retries allowed per second whatever the calls. */
    private Integer minRetriesPerSecond;

    /** The span over which calls and retries are counted. */
    private Duration window;

    /** Creates an empty budget, for the binder. */
    public Budget() {}

    /**
     * Returns the retry percentage.
     *
     * @return retries allowed as a percentage of calls; null when unset
     */
    public Double getRetryPercent() {
      return retryPercent;
    }

    /**
     * Sets the retries allowed as a percentage of calls.
     *
     * @param retryPercent retries allowed as a percentage of calls; null to leave it unset
     */
    public void setRetryPercent(Double retryPercent) {
      this.retryPercent = retryPercent;
    }

    /**
     * Returns the minimum retries per second.
     *
     * @return retries allowed per second whatever the calls; null when unset
     */
    public Integer getMinRetriesPerSecond() {
      return minRetriesPerSecond;
    }

    /**
     * Sets the retries allowed per second whatever the calls.
     *
     * @param minRetriesPerSecond retries allowed per second whatever the calls; null to leave it unset
     */
    public void setMinRetriesPerSecond(Integer minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
    }

    /**
     * Returns the window.
     *
     * @return the span over which calls and retries are counted; null when unset
     */
    public Duration getWindow() {
      return window;
    }

    /**
     * Sets the span over which calls and retries are counted.
     *
     * @param window the span over which calls and retries are counted; null to leave it unset
     */
    public void setWindow(Duration window) {
      this.window = window;
    }
  }
}
