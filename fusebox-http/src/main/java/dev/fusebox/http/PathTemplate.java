package dev.fusebox.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A path template of {@link HttpBreakerKey#hostAndPath}: literal segments and {@code {name}} placeholders,
 * each matching exactly one segment. Matching walks the raw path once, without allocating.
 */
final class PathTemplate {

  private final String text;
  /** One entry per segment; {@code null} for a placeholder. */
  private final String[] segments;

  private PathTemplate(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
  }

  static List<PathTemplate> parseAll(String[] templates) {
    List<PathTemplate> parsed = new ArrayList<>(templates.length);
    for (int i = 0; i < templates.length; i++) {
      if (templates[i] == null) {
        throw new NullPointerException("templates must not contain null, found one at index " + i);
      }
      parsed.add(parse(templates[i]));
    }
    return List.copyOf(parsed);
  }

  static PathTemplate parse(String template) {
    if (!template.startsWith("/")) {
      throw invalid(template, "must start with /");
    }
    String body = template.length() > 1 && template.endsWith("/")
        ? template.substring(1, template.length() - 1)
        : template.substring(1);
    if (body.isEmpty() && template.length() > 1) {
      throw invalid(template, "must not have an empty segment");
    }
    String[] parts = body.isEmpty() ? new String[0] : body.split("/", -1);
    String[] segments = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        throw invalid(template, "must not have an empty segment");
      }
      boolean placeholder = part.length() > 2 && part.startsWith("{") && part.endsWith("}");
      String inner = placeholder ? part.substring(1, part.length() - 1) : part;
      if (inner.indexOf('{') >= 0 || inner.indexOf('}') >= 0) {
        throw invalid(template, "may hold braces only around a whole segment, as in /users/{id}");
      }
      segments[i] = placeholder ? null : part;
    }
    return new PathTemplate(template, segments);
  }

  private static IllegalArgumentException invalid(String template, String rule) {
    return new IllegalArgumentException("path template " + rule + ", was '" + template + "'");
  }

  String text() {
    return text;
  }

  /** Whether the raw path (no query) has exactly these segments; a trailing slash is allowed. */
  boolean matches(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return segments.length == 0 && (path == null || path.isEmpty());
    }
    int end = path.length();
    if (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    int position = 1;
    for (String segment : segments) {
      if (position > end) {
        return false;
      }
      int next = path.indexOf('/', position);
      if (next < 0 || next > end) {
        next = end;
      }
      if (next == position) {
        return false;
      }
      if (segment != null && !path.regionMatches(position, segment, 0, segment.length())
          || segment != null && next - position != segment.length()) {
        return false;
      }
      position = next + 1;
    }
    return position > end || (segments.length == 0 && end == 1);
  }
}
