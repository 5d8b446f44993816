package dev.fusebox.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page's files: a fixed set, read from the jar once, served by exact path.
 *
 * <p>Paths are looked up as they came, without decoding or normalising them, in a table of five entries:
 * nothing a request holds ever reaches the file system or the class loader, so no path can climb out of
 * the set ({@code /../}, encoded dots and slashes, a class file's name are all simply unknown).
 *
 * <p>This class is immutable and threadsafe.
 */
final class StaticResources {

  /** The page's policy: its own scripts and styles only, no inline code, no framing, talks to itself only. */
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** A file and its media type. */
  record Resource(byte[] bytes, String contentType) {}

  private final Map<String, Resource> byPath = new LinkedHashMap<>();

  StaticResources() {
    add("/", "index.html", "text/html; charset=utf-8");
    add("/dashboard.css", "dashboard.css", "text/css; charset=utf-8");
    add("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8");
    add("/panels.js", "panels.js", "text/javascript; charset=utf-8");
    add("/favicon.svg", "favicon.svg", "image/svg+xml");
  }

  /** Returns the file served at {@code path} (relative to the dashboard's base path), or null. */
  Resource find(String path) {
    return byPath.get(path);
  }

  private void add(String path, String resource, String contentType) {
    try (InputStream in = StaticResources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's jar lacks " + resource);
      }
      byPath.put(path, new Resource(in.readAllBytes(), contentType));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard's " + resource, e);
    }
  }
}
