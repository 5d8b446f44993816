package dev.fusebox.spring.throttle;

import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Adaptive throttles under {@code fusebox.adaptive-throttle}: named configurations ({@code configs.<name>})
 * and instances ({@code instances.<name>}), each option named as the core names it, in kebab case.
 *
 * <pre>{@code
 * fusebox:
 *   adaptive-throttle:
 *     instances:
 *       inventory:
 *         k: 1.5
 *         sampling-window: 1m
 *         max-rejection-probability: 0.8
 * }</pre>
 *
 * <p>Unknown keys under the prefix fail start-up.
 */
@ConfigurationProperties(prefix = "fusebox.adaptive-throttle", ignoreUnknownFields = false)
public class AdaptiveThrottleProperties extends PolicyProperties<AdaptiveThrottleProperties.Instance> {

  /** Creates empty properties, for the binder. */
  public AdaptiveThrottleProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.adaptive-throttle";
  }

  /** The settings of one instance or named configuration; unset options are inherited or the core's defaults. */
  public static class Instance extends PolicyProperties.Entry {

    /** Requests the dependency may receive per request it accepts before any is shed (default 2.0). */
    private Double k;

    /** How far back requests and accepts are counted (default 2m). */
    private Duration samplingWindow;

    /** The cap of the rejection probability, in (0, 1] (default 0.9). */
    private Double maxRejectionProbability;

    /** Below this many requests in the window nothing is shed (default 0). */
    private Integer minimumNumberOfRequests;

    /** Only these exceptions (and subclasses) are requests the dependency did not accept. */
    private List<Class<? extends Throwable>> recordExceptions;

    /** These exceptions (and subclasses) count for nothing. */
    private List<Class<? extends Throwable>> ignoreExceptions;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the option: requests the dependency may receive per accepted one before any is shed.
     *
     * @return K; null when unset
     */
    public Double getK() {
      return k;
    }

    /**
     * Sets K, the requests the dependency may receive per accepted one before any is shed (above 0; default 2.0).
     *
     * @param k K; null to leave it unset
     */
    public void setK(Double k) {
      this.k = k;
    }

    /**
     * Returns the option: how far back requests and accepts are counted.
     *
     * @return the window; null when unset
     */
    public Duration getSamplingWindow() {
      return samplingWindow;
    }

    /**
     * Sets how far back requests and accepts are counted (positive; default 2m).
     *
     * @param samplingWindow the window; null to leave it unset
     */
    public void setSamplingWindow(Duration samplingWindow) {
      this.samplingWindow = samplingWindow;
    }

    /**
     * Returns the option: the cap of the rejection probability.
     *
     * @return the cap; null when unset
     */
    public Double getMaxRejectionProbability() {
      return maxRejectionProbability;
    }

    /**
     * Sets the cap of the rejection probability (in (0, 1]; default 0.9).
     *
     * @param maxRejectionProbability the cap; null to leave it unset
     */
    public void setMaxRejectionProbability(Double maxRejectionProbability) {
      this.maxRejectionProbability = maxRejectionProbability;
    }

    /**
     * Returns the option: below this many requests in the window nothing is shed.
     *
     * @return the minimum; null when unset
     */
    public Integer getMinimumNumberOfRequests() {
      return minimumNumberOfRequests;
    }

    /**
     * Sets how many requests the window must hold before anything is shed (at least 0; default 0).
     *
     * @param minimumNumberOfRequests the minimum; null to leave it unset
     */
    public void setMinimumNumberOfRequests(Integer minimumNumberOfRequests) {
      this.minimumNumberOfRequests = minimumNumberOfRequests;
    }

    /**
     * Returns the option: only these exceptions are requests the dependency did not accept.
     *
     * @return the types; null when unset
     */
    public List<Class<? extends Throwable>> getRecordExceptions() {
      return recordExceptions;
    }

    /**
     * Sets the only exceptions (and subclasses) that are requests the dependency did not accept (default: every one).
     *
     * @param recordExceptions the types; null to leave it unset
     */
    public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
      this.recordExceptions = recordExceptions;
    }

    /**
     * Returns the option: these exceptions count for nothing.
     *
     * @return the types; null when unset
     */
    public List<Class<? extends Throwable>> getIgnoreExceptions() {
      return ignoreExceptions;
    }

    /**
     * Sets the exceptions (and subclasses) that count for nothing, neither as requests nor as accepts.
     *
     * @param ignoreExceptions the types; null to leave it unset
     */
    public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
      this.ignoreExceptions = ignoreExceptions;
    }
  }
}
