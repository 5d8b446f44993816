package dev.fusebox.spring.dashboard;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The live dashboard of fusebox-dashboard, mounted in the application's own web server under
 * {@code fusebox.dashboard}: on by default at {@code /fusebox} when fusebox-dashboard is on the class path
 * of a servlet web application.
 *
 * <p>Adding the dependency is the opt-in; the dashboard then guards itself. Its page holds no data; reading
 * the data and every control need the dashboard's token in the {@code X-Fusebox-Token} header, unless
 * {@code public-read-only} lets anyone read. Without a configured {@code token}, a random one is made at
 * start and logged once, as the page's address with the token in its fragment.
 *
 * <pre>{@code
 * fusebox:
 *   dashboard:
 *     path: /ops/fusebox
 *     token: ${FUSEBOX_DASHBOARD_TOKEN}
 * }</pre>
 */
@ConfigurationProperties(prefix = "fusebox.dashboard", ignoreUnknownFields = false)
public class FuseboxDashboardProperties {

  /** Whether the dashboard is mounted when fusebox-dashboard is on the class path. */
  private boolean enabled = true;

  /** The path the dashboard answers under. */
  private String path = "/fusebox";

  /** The token reads and controls need: 16 to 256 of A-Z a-z 0-9 . _ ~ -; random and logged when unset. */
  private String token;

  /** Whether anyone who reaches the page may read the figures without the token; controls still need it. */
  private boolean publicReadOnly;

  /** How often rates are sampled and pages updated. */
  private Duration samplingInterval = Duration.ofSeconds(1);

  /** Samples kept per breaker for its chart. */
  private int historySize = 300;

  /** Pages that may follow the live stream at once. */
  private int maxStreams = 16;

  /** Creates the defaults, for the binder. */
  public FuseboxDashboardProperties() {}

  /**
   * Returns whether the dashboard is mounted.
   *
   * @return whether the dashboard is mounted when fusebox-dashboard is on the class path
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether the dashboard is mounted (default true).
   *
   * @param enabled whether the dashboard is mounted when fusebox-dashboard is on the class path
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Returns the path.
   *
   * @return the path the dashboard answers under
   */
  public String getPath() {
    return path;
  }

  /**
   * Sets the path the dashboard answers under (default /fusebox).
   *
   * @param path the path the dashboard answers under
   */
  public void setPath(String path) {
    this.path = path;
  }

  /**
   * Returns the configured token, if any.
   *
   * @return the configured token, or null for a random one made and logged at start
   */
  public String getToken() {
    return token;
  }

  /**
   * Sets the token reads and controls need (default: random, logged at start).
   *
   * @param token the token; null for a random one made and logged at start
   */
  public void setToken(String token) {
    this.token = token;
  }

  /**
   * Returns whether reads are public.
   *
   * @return whether anyone who reaches the page may read the figures without the token; controls still need it
   */
  public boolean isPublicReadOnly() {
    return publicReadOnly;
  }

  /**
   * Sets whether reads need no token (default false).
   *
   * @param publicReadOnly whether anyone who reaches the page may read the figures without the token; controls
   *     still need it
   */
  public void setPublicReadOnly(boolean publicReadOnly) {
    this.publicReadOnly = publicReadOnly;
  }

  /**
   * Returns the sampling interval.
   *
   * @return how often rates are sampled and pages updated
   */
  public Duration getSamplingInterval() {
    return samplingInterval;
  }

  /**
   * Sets how often rates are sampled (100ms to 1m; default 1s).
   *
   * @param samplingInterval how often rates are sampled and pages updated
   */
  public void setSamplingInterval(Duration samplingInterval) {
    this.samplingInterval = samplingInterval;
  }

  /**
   * Returns the history size.
   *
   * @return samples kept per breaker for its chart
   */
  public int getHistorySize() {
    return historySize;
  }

  /**
   * Sets the samples kept per breaker (2 to 86,400; default 300).
   *
   * @param historySize samples kept per breaker for its chart
   */
  public void setHistorySize(int historySize) {
    this.historySize = historySize;
  }

  /**
   * Returns the maximum number of live streams.
   *
   * @return pages that may follow the live stream at once
   */
  public int getMaxStreams() {
    return maxStreams;
  }

  /**
   * Sets the pages that may follow the live stream at once (1 to 1,000; default 16).
   *
   * @param maxStreams pages that may follow the live stream at once
   */
  public void setMaxStreams(int maxStreams) {
    this.maxStreams = maxStreams;
  }
}
