package dev.fusebox.spring.restclient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The circuit breakers of Spring's {@code RestClient}, under {@code fusebox.restclient}: on when fusebox-http
 * is on the class path.
 *
 * <pre>{@code
 * fusebox:
 *   restclient:
 *     key: HOST_AND_PORT
 *     path-templates: /users/{id}, /orders/{id}/items
 * }</pre>
 */
@ConfigurationProperties(prefix = "fusebox.restclient", ignoreUnknownFields = false)
public class FuseboxRestClientProperties {

  /** How requests are grouped into breakers. */
  public enum Key {
    /** One breaker per host (and port, when not the scheme's default): {@code http:api.example.com}. */
    HOST,
    /** One breaker per host and port, the default port filled in: {@code http:api.example.com:443}. */
    HOST_AND_PORT
  }

  /** Whether every RestClient.Builder of the application gets the breakers' interceptor. */
  private boolean enabled = true;

  /** How requests are grouped into breakers. */
  private Key key = Key.HOST;

  /** Path templates such as /users/{id}: a breaker per route of a host; other paths share the host's. */
  private List<String> pathTemplates = new ArrayList<>();

  /** The longest open wait a server's Retry-After may ask for. */
  private Duration maxOpenWaitFromRetryAfter = Duration.ofMinutes(5);

  /** Creates the defaults, for the binder. */
  public FuseboxRestClientProperties() {}

  /**
   * Returns whether the interceptor is added.
   *
   * @return whether every RestClient.Builder of the application gets the breakers' interceptor
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether the interceptor is added to every RestClient.Builder (default true).
   *
   * @param enabled whether every RestClient.Builder of the application gets the breakers' interceptor
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Returns the key.
   *
   * @return how requests are grouped into breakers
   */
  public Key getKey() {
    return key;
  }

  /**
   * Sets how requests are grouped into breakers (default HOST).
   *
   * @param key how requests are grouped into breakers
   */
  public void setKey(Key key) {
    this.key = key;
  }

  /**
   * Returns the path templates.
   *
   * @return path templates such as /users/{id}: a breaker per route of a host; other paths share the host's
   */
  public List<String> getPathTemplates() {
    return pathTemplates;
  }

  /**
   * Sets path templates, for a breaker per route of a host (default none).
   *
   * @param pathTemplates path templates such as /users/{id}: a breaker per route of a host; other paths share
   *     the host's
   */
  public void setPathTemplates(List<String> pathTemplates) {
    this.pathTemplates = pathTemplates;
  }

  /**
   * Returns the longest open wait from a Retry-After.
   *
   * @return the longest open wait a server's Retry-After may ask for
   */
  public Duration getMaxOpenWaitFromRetryAfter() {
    return maxOpenWaitFromRetryAfter;
  }

  /**
   * Sets the longest open wait a server's Retry-After may ask for (default 5m).
   *
   * @param maxOpenWaitFromRetryAfter the longest open wait a server's Retry-After may ask for
   */
  public void setMaxOpenWaitFromRetryAfter(Duration maxOpenWaitFromRetryAfter) {
    this.maxOpenWaitFromRetryAfter = maxOpenWaitFromRetryAfter;
  }
}
