package dev.fusebox.spring;

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

    /** Returns the option: the limit a new bulkhead starts with. */
    public Integer getInitialLimit() {
      return initialLimit;
    }

    /** Sets the limit a new bulkhead starts with (within [min-limit, max-limit]; default 20). */
    public void setInitialLimit(Integer initialLimit) {
      this.initialLimit = initialLimit;
    }

    /** Returns the option: the lowest limit. */
    public Integer getMinLimit() {
      return minLimit;
    }

    /** Sets the lowest limit (at least 1; default 1). */
    public void setMinLimit(Integer minLimit) {
      this.minLimit = minLimit;
    }

    /** Returns the option: the highest limit. */
    public Integer getMaxLimit() {
      return maxLimit;
    }

    /** Sets the highest limit (at least min-limit; default 200). */
    public void setMaxLimit(Integer maxLimit) {
      this.maxLimit = maxLimit;
    }

    /** Returns the option: estimated queued calls below which the limit grows. */
    public Double getAlpha() {
      return alpha;
    }

    /** Sets the estimated queued calls below which the limit grows (positive; default 3). */
    public void setAlpha(Double alpha) {
      this.alpha = alpha;
    }

    /** Returns the option: estimated queued calls above which the limit shrinks. */
    public Double getBeta() {
      return beta;
    }

    /** Sets the estimated queued calls above which the limit shrinks (greater than alpha; default 6). */
    public void setBeta(Double beta) {
      this.beta = beta;
    }

    /** Returns the option: the factor applied to the limit after a window with a dropped call. */
    public Double getBackoffRatio() {
      return backoffRatio;
    }

    /** Sets the factor applied to the limit after a window with a dropped call (in (0, 1); default 0.9). */
    public void setBackoffRatio(Double backoffRatio) {
      this.backoffRatio = backoffRatio;
    }

    /** Returns the option: completed calls that make one window. */
    public Integer getSampleWindowSize() {
      return sampleWindowSize;
    }

    /** Sets how many completed calls make one window (at least 1; default 10). */
    public void setSampleWindowSize(Integer sampleWindowSize) {
      this.sampleWindowSize = sampleWindowSize;
    }

    /** Returns the option: how often the no-load latency is re-measured. */
    public Duration getProbeInterval() {
      return probeInterval;
    }

    /** Sets how often the no-load latency is re-measured (0 never; default 60s). */
    public void setProbeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
    }

    /** Returns the option: exceptions that count as drops. */
    public List<Class<? extends Throwable>> getDropExceptions() {
      return dropExceptions;
    }

    /** Sets the exceptions (and subclasses) that count as drops (default: time-outs). */
    public void setDropExceptions(List<Class<? extends Throwable>> dropExceptions) {
      this.dropExceptions = dropExceptions;
    }
  }
}
