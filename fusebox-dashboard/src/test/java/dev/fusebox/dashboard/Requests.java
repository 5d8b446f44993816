package dev.fusebox.dashboard;

import dev.fusebox.testsupport.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds requests for a handler and reads its responses, without a server. */
final class Requests {

  private Requests() {}

  /** A request without body; headers as name, value pairs. */
  static DashboardRequest request(String method, String path, String... headers) {
    return request(method, path, new byte[0], headers);
  }

  static DashboardRequest request(String method, String path, byte[] body, String... headers) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], List.of(headers[i + 1]));
    }
    return new DashboardRequest(method, path, map, new ByteArrayInputStream(body));
  }

  static String body(DashboardResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      response.writeBody(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(DashboardResponse response) {
    return (Map<String, Object>) Json.parse(body(response));
  }
}
