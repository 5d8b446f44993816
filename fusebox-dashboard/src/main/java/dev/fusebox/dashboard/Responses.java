package dev.fusebox.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's responses and their headers: every response carries {@code nosniff}, no referrer and a
 * same-origin resource policy; the page adds its Content-Security-Policy and refuses framing; API answers
 * are never cached and never carry CORS headers.
 */
final class Responses {

  private Responses() {}

  /** Headers every response carries. */
  static Map<String, String> commonHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cross-Origin-Resource-Policy", "same-origin");
    return headers;
  }

  static Map<String, String> pageHeaders() {
    Map<String, String> headers = commonHeaders();
    headers.put("Content-Security-Policy", StaticResources.PAGE_POLICY);
    headers.put("X-Frame-Options", "DENY");
    headers.put("Cross-Origin-Opener-Policy", "same-origin");
    return headers;
  }

  static Map<String, String> apiHeaders() {
    Map<String, String> headers = commonHeaders();
    headers.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    headers.put("Cache-Control", "no-store");
    return headers;
  }

  static DashboardResponse json(int status, String body) {
    return json(status, body, apiHeaders());
  }

  static DashboardResponse json(int status, String body, Map<String, String> headers) {
    headers.put("Content-Type", "application/json; charset=utf-8");
    return DashboardResponse.of(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  static String errorBody(String message) {
    return new JsonWriter().beginObject().field("error", message).endObject().toString();
  }

  static DashboardResponse error(int status, String message) {
    return json(status, errorBody(message));
  }

  static DashboardResponse methodNotAllowed(String allowed) {
    Map<String, String> headers = apiHeaders();
    headers.put("Allow", allowed);
    return json(405, errorBody("method not allowed; use " + allowed), headers);
  }

  static DashboardResponse redirect(String location) {
    Map<String, String> headers = commonHeaders();
    headers.put("Location", location);
    return DashboardResponse.empty(308, headers);
  }
}
