package dev.fusebox.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, strict JSON reader for tests: objects become {@link Map}s (in document order), arrays {@link
 * List}s, and strings, numbers ({@link Double}), booleans and null their Java values. It rejects trailing
 * commas, bad escapes, control characters in strings and trailing text, so what it reads is valid JSON: a
 * test that parses a response or a file with it also checks that it is well formed.
 *
 * <pre>{@code
 * Map<String, Object> snapshot = (Map<String, Object>) Json.parse(response.body());
 * assertThat(snapshot.get("state")).isEqualTo("CLOSED");
 * }</pre>
 *
 * <p>Stateless from the caller's side and threadsafe: each call parses with a reader of its own.
 */
public final class Json {

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value, the whole of {@code text}.
   *
   * @param text the JSON document
   * @return the value: a {@code Map<String, Object>}, a {@code List<Object>}, a {@link String}, a {@link
   *     Double}, a {@link Boolean} or null
   * @throws IllegalArgumentException if {@code text} is not exactly one valid JSON value; the message names
   *     what was wrong and its offset
   */
  public static Object parse(String text) {
    Json json = new Json(Objects.requireNonNull(text, "text must not be null"));
    Object value = json.value();
    json.whitespace();
    if (json.pos != text.length()) {
      throw json.error("trailing text");
    }
    return value;
  }

  private Object value() {
    whitespace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    whitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    for (;;) {
      whitespace();
      if (peek() != '"') {
        throw error("expected a key");
      }
      String key = string();
      whitespace();
      expect(':');
      map.put(key, value());
      whitespace();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw error("expected , or }");
      }
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    pos++;
    whitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    for (;;) {
      list.add(value());
      whitespace();
      char c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw error("expected , or ]");
      }
    }
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
        throw error("control character in string");
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
          out.append(unicodeEscape());
          pos += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  /** The four hex digits of a unicode escape, as a char; anything else is bad JSON, not a crash. */
  private char unicodeEscape() {
    if (pos + 4 > text.length()) {
      throw error("bad unicode escape");
    }
    int value = 0;
    for (int i = pos; i < pos + 4; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      if (digit < 0) {
        throw error("bad unicode escape");
      }
      value = value * 16 + digit;
    }
    return (char) value;
  }

  private Double number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw error("unexpected character '" + text.charAt(pos) + "'");
    }
    return Double.valueOf(text.substring(start, pos));
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return value;
  }

  private void whitespace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at offset " + pos);
  }
}
