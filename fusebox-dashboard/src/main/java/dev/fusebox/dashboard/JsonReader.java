package dev.fusebox.dashboard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the body of a control request: one flat JSON object whose members are numbers, strings, booleans
 * or null, such as {@code {"faultRate": 0.25, "latencyMillis": 800}}. Nothing else is accepted: nested
 * objects and arrays, duplicate members, trailing text and numbers JSON cannot hold are refused with an
 * {@link IllegalArgumentException} whose message says what is wrong, which the handler answers with 400.
 *
 * <p>Bodies are at most a kilobyte (the handler checks first), so a recursive-descent reader without
 * nesting is all that is needed, and it keeps the dashboard free of dependencies. Numbers are read as
 * {@code Double}. Not threadsafe; one reader per body.
 */
final class JsonReader {

  private final String text;
  private int at;

  private JsonReader(String text) {
    this.text = text;
  }

  /** Parses a flat object; an empty or blank body is an empty object. */
  static Map<String, Object> parseFlatObject(String text) {
    if (text.isBlank()) {
      return Map.of();
    }
    return new JsonReader(text).object();
  }

  private Map<String, Object> object() {
    Map<String, Object> members = new LinkedHashMap<>();
    skipSpace();
    expect('{');
    skipSpace();
    if (peek() == '}') {
      at++;
    } else {
      for (;;) {
        skipSpace();
        String name = string();
        skipSpace();
        expect(':');
        skipSpace();
        Object value = value();
        if (members.containsKey(name)) {
          throw new IllegalArgumentException("the body names " + name + " twice");
        }
        members.put(name, value);
        skipSpace();
        char c = next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw error("',' or '}'");
        }
      }
    }
    skipSpace();
    if (at != text.length()) {
      throw error("the end of the body");
    }
    return Collections.unmodifiableMap(members);
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    if (text.startsWith("true", at)) {
      at += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("false", at)) {
      at += 5;
      return Boolean.FALSE;
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return null;
    }
    if (c == '{' || c == '[') {
      throw new IllegalArgumentException("the body must be a flat object: no nested objects or arrays");
    }
    throw error("a value");
  }

  private Double number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    while (at < text.length() && "0123456789.eE+-".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String literal = text.substring(start, at);
    if (!literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw new IllegalArgumentException("not a JSON number: " + literal);
    }
    double value = Double.parseDouble(literal);
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("number out of range: " + literal);
    }
    return value;
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    for (;;) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("a control character in a string at offset " + (at - 1));
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("four hexadecimal digits");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("four hexadecimal digits");
          }
          at += 4;
        }
        default -> throw error("an escape sequence");
      }
    }
  }

  private void skipSpace() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private char next() {
    if (at >= text.length()) {
      throw new IllegalArgumentException("the body ends too early");
    }
    return text.charAt(at++);
  }

  private void expect(char c) {
    if (next() != c) {
      at--;
      throw error("'" + c + "'");
    }
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("the body is not a flat JSON object: expected " + expected + " at offset " + at);
  }
}
