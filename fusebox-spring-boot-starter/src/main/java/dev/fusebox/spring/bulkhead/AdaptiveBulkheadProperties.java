package dev.fusebox.spring.bulkhead;

import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Adaptive bulkheads under {@code fusebox.adaptive-bulkhead}: named configurations ({@code configs.<name>})
 * and instances ({@code instances.<name>}), each option named as the core names it, in kebab case. A
 * method takes one with {@code @Bulkhead(name = "...", type = Bulkhead.Type.ADAPTIVE)}.
 *
 * <pre>{@code
 * fusebox:
 *   adaptive-bulkhead:
 *     instances:
 *       search:
 *         initial-limit: 10
 *         max-limit: 100
 *         drop-exceptions: java.util.concurrent.TimeoutException
 * }</pre>
 *
 * <p>Unknown keys under the prefix fail start-up.
 */
@ConfigurationProperties(prefix = "fusebox.adaptive-bulkhead", ignoreUnknownFields = false)
public class AdaptiveBulkheadProperties extends PolicyProperties<AdaptiveBulkheadProperties.Instance> {

  /** Creates empty properties, for the binder. */
  public AdaptiveBulkheadProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.adaptive-bulkhead";
  }

  /** The settings of one instance or named configuration; unset options are inherited or the core's defaults. */
  public static class Instance extends PolicyProperties.Entry {

    /** The limit a new bulkhead starts with (default 20). */
    private Integer initialLimit;

    /** The lowest limit (default 1). */
    private Integer minLimit;

    /** The highest limit (default 200). */
    private Integer maxLimit;

    /** Estimated queued calls below which the limit grows (default 3). */
    private Double alpha;

    /** Estimated queued calls above which the limit shrinks (default 6). */
    private Double beta;

    /** Factor applied to the limit after a window with a dropped call (default 0.9). */
    private Double backoffRatio;

    /** Completed calls that make one window (default 10). */
    private Integer sampleWindowSize;

    /** How often the no-load latency is re-measured; 0 never (default 60s). */
    private Duration probeInterval;

    /** Exceptions (and subclasses) that count as drops and back the limit off (default: time-outs). */
    private List<Class<? extends Throwable>> dropExceptions;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the option: the limit a new bulkhead starts with.
     *
     * @return the limit a new bulkhead starts with (default 20); null when unset
     */
    public Integer getInitialLimit() {
      return initialLimit;
    }

    /**
     * Sets the limit a new bulkhead starts with (within [min-limit, max-limit]; default 20).
     *
     * @param initialLimit the limit a new bulkhead starts with (default 20); null to leave it unset
     */
    public void setInitialLimit(Integer initialLimit) {
      this.initialLimit = initialLimit;
    }

    /**
     * Returns the option: the lowest limit.
     *
     * @return the lowest limit (default 1); null when unset
     */
    public Integer getMinLimit() {
      return minLimit;
    }

    /**
     * Sets the lowest limit (at least 1; default 1).
     *
     * @param minLimit the lowest limit (default 1); null to leave it unset
     */
    public void setMinLimit(Integer minLimit) {
      this.minLimit = minLimit;
    }

    /**
     * Returns the option: the highest limit.
     *
     * @return the highest limit (default 200); null when unset
     */
    public Integer getMaxLimit() {
      return maxLimit;
    }

    /**
     * Sets the highest limit (at least min-limit; default 200).
     *
     * @param maxLimit the highest limit (default 200); null to leave it unset
     */
    public void setMaxLimit(Integer maxLimit) {
      this.maxLimit = maxLimit;
    }

    /**
     * Returns the option: estimated queued calls below which the limit grows.
     *
     * @return estimated queued calls below which the limit grows (default 3); null when unset
     */
    public Double getAlpha() {
      return alpha;
    }

    /**
     * Sets the estimated queued calls below which the limit grows (positive; default 3).
     *
     * @param alpha estimated queued calls below which the limit grows (default 3); null to leave it unset
     */
    public void setAlpha(Double alpha) {
      this.alpha = alpha;
    }

    /**
     * Returns the option: estimated queued calls above which the limit shrinks.
     *
     * @return estimated queued calls above which the limit shrinks (default 6); null when unset
     */
    public Double getBeta() {
      return beta;
    }

    /**
     * Sets the estimated queued calls above which the limit shrinks (greater than alpha; default 6).
     *
     * @param beta estimated queued calls above which the limit shrinks (default 6); null to leave it unset
     */
    public void setBeta(Double beta) {
      this.beta = beta;
    }

    /**
     * Returns the option: the factor applied to the limit after a window with a dropped call.
     *
     * @return factor applied to the limit after a window with a dropped call (default 0.9); null when unset
     */
    public Double getBackoffRatio() {
      return backoffRatio;
    }

    /**
     * Sets the factor applied to the limit after a window with a dropped call (in (0, 1); default 0.9).
     *
     * @param backoffRatio factor applied to the limit after a window with a dropped call (default 0.9); null to
     *     leave it unset
     */
    public void setBackoffRatio(Double backoffRatio) {
      this.backoffRatio = backoffRatio;
    }

    /**
     * Returns the option: completed calls that make one window.
     *
     * @return completed calls that make one window (default 10); null when unset
     */
    public Integer getSampleWindowSize() {
      return sampleWindowSize;
    }

    /**
     * Sets how many completed calls make one window (at least 1; default 10).
     *
     * @param sampleWindowSize completed calls that make one window (default 10); null to leave it unset
     */
    public void setSampleWindowSize(Integer sampleWindowSize) {
      this.sampleWindowSize = sampleWindowSize;
    }

    /**
     * Returns the option: how often the no-load latency is re-measured.
     *
     * @return how often the no-load latency is re-measured; 0 never (default 60s); null when unset
     */
    public Duration getProbeInterval() {
      return probeInterval;
    }

    /**
     * Sets how often the no-load latency is re-measured (0 never; default 60s).
     *
     * @param probeInterval how often the no-load latency is re-measured; 0 never (default 60s); null to leave
     *     it unset
     */
    public void setProbeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
    }

    /**
     * Returns the option: exceptions that count as drops.
     *
     * @return exceptions (and subclasses) that count as drops and back the limit off (default: time-outs); null
     *     when unset
     */
    public List<Class<? extends Throwable>> getDropExceptions() {
      return dropExceptions;
    }

    /**
     * Sets the exceptions (and subclasses) that count as drops (default: time-outs).
     *
     * @param dropExceptions exceptions (and subclasses) that count as drops and back the limit off (default:
     *     time-outs); null to leave it unset
     */
    public void setDropExceptions(List<Class<? extends Throwable>> dropExceptions) {
      this.dropExceptions = dropExceptions;
    }
  }
}
