package dev.fusebox.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void readsEveryKindOfValueKeepingTheOrderOfKeys() {
    Object value = Json.parse(" {\"b\": [1, -2.5e1, true, false, null], \"a\": \"x\\ty\\u00e9\\\"\", \"c\": {}} ");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("b", Arrays.asList(1.0, -25.0, true, false, null));
    expected.put("a", "x\ty\u00e9\"");
    expected.put("c", Map.of());
    assertThat(value).isEqualTo(expected);
    assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.of("b", "a", "c"));
  }

  @Test
  void readsEmptyArraysAndNestedValues() {
    assertThat(Json.parse("[[], [{\"k\": [2]}]]")).isEqualTo(List.of(List.of(), List.of(Map.of("k", List.of(2.0)))));
  }

  @Test
  void rejectsWhatIsNotValidJsonNamingTheOffset() {
    assertThatThrownBy(() -> Json.parse("[1,]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected character ']' at offset 3");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a key at offset 8");
    assertThatThrownBy(() -> Json.parse("{} x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trailing text at offset 3");
    assertThatThrownBy(() -> Json.parse("\"a\\qb\"")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad escape \\q at offset 4");
    assertThatThrownBy(() -> Json.parse("\"a\nb\"")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("control character in string at offset 3");
    assertThatThrownBy(() -> Json.parse("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected end at offset 0");
  }

  @Test
  void rejectsAShortOrNonHexUnicodeEscapeAsBadJson() {
    assertThatThrownBy(() -> Json.parse("\"\\u12\"")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad unicode escape at offset 3");
    assertThatThrownBy(() -> Json.parse("\"\\uzzzz\"")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad unicode escape at offset 3");
  }

  @Test
  void rejectsNullWithAMessage() {
    assertThatThrownBy(() -> Json.parse(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("text must not be null");
  }
}
