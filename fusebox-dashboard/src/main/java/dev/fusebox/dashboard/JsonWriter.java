package dev.fusebox.dashboard;

/**
 * Writes JSON text into a buffer: the dashboard's only encoder, so that it needs no dependency.
 *
 * <p>The caller opens and closes objects and arrays in order; the writer puts the commas. Strings are
 * escaped as RFC 8259 requires (quote, backslash, every control character), plus U+2028 and U+2029, which
 * older JavaScript parsers refuse in string literals, and unpaired surrogates, which have no UTF-8 form:
 * the text stays valid whatever a breaker or an exception is named. Numbers that JSON cannot hold (NaN,
 * infinities) are written as {@code null}. The output has no line breaks, so one document fits one
 * server-sent-events {@code data:} line.
 *
 * <pre>{@code
 * String text = new JsonWriter().beginObject().name("name").value("inventory").endObject().toString();
 * }</pre>
 *
 * <p>Not threadsafe; one writer per document.
 */
final class JsonWriter {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(256);
  /** Whether the next value or name in the current container needs a comma before it. */
  private boolean comma;

  JsonWriter beginObject() {
    separate();
    out.append('{');
    comma = false;
    return this;
  }

  JsonWriter endObject() {
    out.append('}');
    comma = true;
    return this;
  }

  JsonWriter beginArray() {
    separate();
    out.append('[');
    comma = false;
    return this;
  }

  JsonWriter endArray() {
    out.append(']');
    comma = true;
    return this;
  }

  /** Writes a member name; the next call writes its value. */
  JsonWriter name(String name) {
    separate();
    string(name);
    out.append(':');
    comma = false;
    return this;
  }

  JsonWriter value(String value) {
    separate();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    comma = true;
    return this;
  }

  JsonWriter value(long value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  JsonWriter value(double value) {
    separate();
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      out.append("null");
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
    comma = true;
    return this;
  }

  JsonWriter value(boolean value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  JsonWriter nullValue() {
    separate();
    out.append("null");
    comma = true;
    return this;
  }

  /** Writes a member whose value is a string. */
  JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, double value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  private void separate() {
    if (comma) {
      out.append(',');
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
            unicodeEscape(c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape(c);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicodeEscape(c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void unicodeEscape(char c) {
    out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
  }

  /** Returns the text written so far. */
  @Override
  public String toString() {
    return out.toString();
  }
}
