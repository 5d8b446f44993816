package dev.fusebox.spring.chaos;

import dev.fusebox.spring.support.PolicyProperties;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Chaos policies under {@code fusebox.chaos}: named configurations ({@code configs.<name>}) and instances
 * ({@code instances.<name>}), each option named as the core names it, in kebab case. A method takes one
 * with {@code @Chaos(name = "...")}; the dashboard shows every instance with controls to change its rates
 * while the application runs.
 *
 * <pre>{@code
 * # application-staging.yml: one call in ten fails, one in five takes 2 s longer
 * fusebox:
 *   chaos:
 *     instances:
 *       inventory:
 *         fault-rate: 0.1
 *         latency-rate: 0.2
 *         latency: 2s
 * }</pre>
 *
 * <p>Nothing is injected until a rate is set. Unknown keys under the prefix fail start-up.
 */
@ConfigurationProperties(prefix = "fusebox.chaos", ignoreUnknownFields = false)
public class ChaosProperties extends PolicyProperties<ChaosProperties.Instance> {

  /** Creates empty properties, for the binder. */
  public ChaosProperties() {}

  @Override
  protected String prefix() {
    return "fusebox.chaos";
  }

  /** The settings of one instance or named configuration; unset options are inherited or the core's defaults. */
  public static class Instance extends PolicyProperties.Entry {

    /** Whether the policy injects anything at all (default true; the rates decide what). */
    private Boolean enabled;

    /** Share of calls failed with the fault instead of running, in [0, 1] (default 0). */
    private Double faultRate;

    /** Share of calls delayed by latency before they run, in [0, 1] (default 0). */
    private Double latencyRate;

    /** The delay added to a delayed call (default 0). */
    private Duration latency;

    /** Creates empty settings, for the binder. */
    public Instance() {}

    /**
     * Returns the option: whether the policy injects anything at all.
     *
     * @return whether the policy injects anything at all (default true; the rates decide what); null when unset
     */
    public Boolean getEnabled() {
      return enabled;
    }

    /**
     * Sets whether the policy injects anything at all (default true; the rates decide what).
     *
     * @param enabled whether the policy injects anything at all (default true; the rates decide what); null to
     *     leave it unset
     */
    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the option: the share of calls failed with the fault.
     *
     * @return share of calls failed with the fault instead of running, in [0, 1] (default 0); null when unset
     */
    public Double getFaultRate() {
      return faultRate;
    }

    /**
     * Sets the share of calls failed with the fault instead of running, in [0, 1] (default 0).
     *
     * @param faultRate share of calls failed with the fault instead of running, in [0, 1] (default 0); null to
     *     leave it unset
     */
    public void setFaultRate(Double faultRate) {
      this.faultRate = faultRate;
    }

    /**
     * Returns the option: the share of calls delayed.
     *
     * @return share of calls delayed by latency before they run, in [0, 1] (default 0); null when unset
     */
    public Double getLatencyRate() {
      return latencyRate;
    }

    /**
     * Sets the share of calls delayed by latency before they run, in [0, 1] (default 0).
     *
     * @param latencyRate share of calls delayed by latency before they run, in [0, 1] (default 0); null to
     *     leave it unset
     */
    public void setLatencyRate(Double latencyRate) {
      this.latencyRate = latencyRate;
    }

    /**
     * Returns the option: the delay added to a delayed call.
     *
     * @return the delay added to a delayed call (default 0); null when unset
     */
    public Duration getLatency() {
      return latency;
    }

    /**
     * Sets the delay added to a delayed call (default 0).
     *
     * @param latency the delay added to a delayed call (default 0); null to leave it unset
     */
    public void setLatency(Duration latency) {
      this.latency = latency;
    }
  }
}
