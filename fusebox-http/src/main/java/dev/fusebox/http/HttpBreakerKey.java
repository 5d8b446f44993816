package dev.fusebox.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Chooses which breaker a request goes through, at one level (service or instance) of a
 * {@link FuseboxHttpClient}: requests with the same key share a breaker, named {@code http:} and the key
 * for the service level. A key of {@code null} means no breaker at that level for that request.
 *
 * <table>
 *   <caption>Ready-made keys, for {@code https://api.example.com/users/42}</caption>
 *   <tr><th>Key</th><th>Gives</th><th>One breaker per</th></tr>
 *   <tr><td>{@link #host()}</td><td>{@code api.example.com}</td><td>host (and port, when not the
 *       scheme's default)</td></tr>
 *   <tr><td>{@link #hostAndPath(String...) hostAndPath("/users/{id}")}</td>
 *       <td>{@code api.example.com/users/{id}}</td><td>route of a host; other paths fall back to the host</td></tr>
 *   <tr><td>{@link #named(String) named("users")}</td><td>{@code users}</td><td>logical service: every
 *       request of the client</td></tr>
 *   <tr><td>{@link #hostAndPort()}</td><td>{@code api.example.com:443}</td><td>instance, as the URI
 *       addresses it</td></tr>
 * </table>
 *
 * <p>Any function of the request will do: {@code request -> request.headers().firstValue("X-Tenant")
 * .orElse(null)}. Keep the number of distinct keys bounded: each is a breaker that lives as long as its
 * registry. A key function that throws fails the call with its exception.
 *
 * <p>Implementations must be threadsafe and cheap: a key is computed for every request.
 */
@FunctionalInterface
public interface HttpBreakerKey {

  /**
   * Returns the key of the breaker this request goes through, or {@code null} (or a blank string) for no
   * breaker at this level.
    *
    * @param request the request about to be sent
    * @return the breaker's key, or null or blank for none
   */
  String keyOf(HttpRequest request);

  /**
   * One breaker per host: the URI's host in lower case, followed by {@code :port} when the URI names a
   * port other than its scheme's default ({@code localhost:8080}). This is the default service key.
    *
    * @return the per-host key function
   */
  static HttpBreakerKey host() {
    return request -> hostOf(request.uri(), false);
  }

  /**
   * One breaker per instance as the URI addresses it: host and port, the scheme's default port filled in
   * ({@code api.example.com:443}). With client-side discovery, where each request names the chosen
   * instance, this is one breaker per instance; behind a load balancer's single name it is one breaker
   * for all, since the client cannot see which address a name resolved to.
    *
    * @return the per-instance key function
   */
  static HttpBreakerKey hostAndPort() {
    return request -> hostOf(request.uri(), true);
  }

  /**
   * One breaker per route: the {@link #host()} key followed by the first template that the request's path
   * matches, so that {@code /users/42} and {@code /users/7} share the breaker
   * {@code http:api.example.com/users/{id}}. A template is a path whose segments are literal or a
   * {@code {name}} placeholder matching any one segment; the query is not part of the match. A path that
   * matches no template falls back to the host's breaker.
   *
   * @param templates paths such as {@code "/users/{id}"} or {@code "/orders/{orderId}/items"}
    * @return the per-route key function
   * @throws IllegalArgumentException if there is no template, or one does not start with {@code /}, has an
   *     empty segment, or a brace outside a whole-segment placeholder
   */
  static HttpBreakerKey hostAndPath(String... templates) {
    Objects.requireNonNull(templates, "templates must not be null");
    if (templates.length == 0) {
      throw new IllegalArgumentException("hostAndPath needs at least one path template");
    }
    List<PathTemplate> parsed = PathTemplate.parseAll(templates);
    return request -> {
      String host = hostOf(request.uri(), false);
      if (host == null) {
        return null;
      }
      String path = request.uri().getRawPath();
      for (PathTemplate template : parsed) {
        if (template.matches(path)) {
          return host + template.text();
        }
      }
      return host;
    };
  }

  /**
   * One breaker for every request: a logical service (or route) named by hand, such as {@code payments}
   * for a client that only calls the payment service through whatever hosts serve it.
   *
    * @param name the service's name, used as every request's key
    * @return a key function that returns {@code name} for every request
   * @throws IllegalArgumentException if the name is blank
   */
  static HttpBreakerKey named(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("named breaker key must not be blank, was '" + name + "'");
    }
    return request -> name;
  }

  private static String hostOf(URI uri, boolean withPort) {
    String host = uri.getHost();
    if (host == null) {
      return null;
    }
    host = host.toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    if (withPort) {
      return host + ':' + (port == -1 ? defaultPort : port);
    }
    return port == -1 || port == defaultPort ? host : host + ':' + port;
  }
}
