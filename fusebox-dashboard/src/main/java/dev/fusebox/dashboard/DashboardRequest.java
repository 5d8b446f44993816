package dev.fusebox.dashboard;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as {@link DashboardHandler} needs it, whatever web stack received it.
 *
 * <pre>{@code
 * DashboardRequest request = new DashboardRequest(
 *     servletRequest.getMethod(),
 *     servletRequest.getRequestURI(),          // raw: still percent-encoded, no query
 *     headersOf(servletRequest),
 *     servletRequest.getInputStream());
 * }</pre>
 *
 * @param method the request method, such as {@code GET}
 * @param rawPath the path as it came on the request line: still percent-encoded, without the query string;
 *     the handler decodes it itself, so that an encoded slash in a breaker's name stays part of the name
 * @param headers the request headers; names are matched ignoring case
 * @param body the request body, which the handler reads only as far as it accepts (a few kilobytes at most)
 */
public record DashboardRequest(String method, String rawPath, Map<String, List<String>> headers, InputStream body) {

  /**
   * Copies the headers into a map that ignores the case of names.
   *
   * @param method the request method, such as {@code GET}
   * @param rawPath the path as it came on the request line, still percent-encoded, without the query
   * @param headers the request headers, copied
   * @param body the request body
   */
  public DashboardRequest {
    Objects.requireNonNull(method, "method must not be null");
    Objects.requireNonNull(rawPath, "rawPath must not be null");
    Objects.requireNonNull(headers, "headers must not be null");
    Objects.requireNonNull(body, "body must not be null");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) -> {
          if (name != null && values != null) {
            copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
          }
        });
    copy.replaceAll((name, values) -> List.copyOf(values));
    headers = Collections.unmodifiableMap(copy);
  }

  /**
   * Returns the first value of a header, if the request has it.
   *
   * @param name the header's name, in any case
   * @return the header's first value, or empty if the request has none
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
  }
}
