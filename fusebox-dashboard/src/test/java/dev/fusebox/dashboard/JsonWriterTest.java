package dev.fusebox.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testsupport.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

  @Test
  void putsCommasBetweenMembersAndElementsOnly() {
    String text =
        new JsonWriter()
            .beginObject()
            .field("a", 1)
            .name("b").beginArray().value(true).value("x").nullValue().beginObject().endObject().endArray()
            .field("c", false)
            .endObject()
            .toString();

    assertThat(text).isEqualTo("{\"a\":1,\"b\":[true,\"x\",null,{}],\"c\":false}");
  }

  @Test
  void escapesQuotesBackslashesAndEveryControlCharacter() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    String nasty = "quote\" backslash\\ slash/ " + controls + " del\u007f sep\u2028\u2029 </script>";

    String text = new JsonWriter().beginObject().field("name", nasty).endObject().toString();

    assertThat(text).doesNotContain("\n", "\r", "\u2028", "\u2029");
    for (char c = 0; c < 0x20; c++) {
      assertThat(text.indexOf(c)).as("raw control character %d", (int) c).isEqualTo(-1);
    }
    assertThat(text).contains("\\\"", "\\\\", "\\n", "\\t", "\\u0000", "\\u001f", "\\u2028", "\\u007f");
    assertThat(Json.parse(text)).isEqualTo(Map.of("name", nasty));
  }

  @Test
  void keepsPairedSurrogatesAndEscapesLoneOnes() {
    String emoji = "breaker \uD83D\uDD25";
    String lone = "half \uD83D and \uDD25";

    String text = new JsonWriter().beginArray().value(emoji).value(lone).endArray().toString();

    assertThat(text).contains("\uD83D\uDD25").contains("\\ud83d and \\udd25");
    assertThat(Json.parse(text)).isEqualTo(List.of(emoji, lone));
  }

  @Test
  void writesNumbersJsonCanHoldAndNullForTheOthers() {
    String text =
        new JsonWriter()
            .beginArray()
            .value(0.0).value(12.5).value(-3.0).value(1e20).value(Long.MAX_VALUE)
            .value(Double.NaN).value(Double.POSITIVE_INFINITY).value(Double.NEGATIVE_INFINITY)
            .endArray()
            .toString();

    assertThat(text).isEqualTo("[0,12.5,-3,1.0E20," + Long.MAX_VALUE + ",null,null,null]");
    assertThat(Json.parse(text)).isInstanceOf(List.class);
  }

  @Test
  void writesNullStrings() {
    assertThat(new JsonWriter().beginObject().field("x", (String) null).endObject().toString()).isEqualTo("{\"x\":null}");
  }
}
