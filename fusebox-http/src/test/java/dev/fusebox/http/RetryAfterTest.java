package dev.fusebox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the Retry-After header's two forms, and refusing what is neither. */
class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-10-21T07:26:00Z");

  @Test
  void readsDeltaSeconds() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void deltaSecondsTooLargeForALongAreTheLongestWait() {
    assertThat(RetryAfter.parse("99999999999999999999999", NOW)).contains(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @Test
  void readsTheImfFixdateAsAWaitFromNow() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:28:00 GMT", NOW)).contains(Duration.ofSeconds(120));
  }

  @Test
  void readsTheObsoleteRfc850AndAsctimeDates() {
    assertThat(RetryAfter.parse("Wednesday, 21-Oct-26 07:28:00 GMT", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Wed Oct 21 07:28:00 2026", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).contains(Duration.ZERO);
  }

  @Test
  void aTwoDigitYearMoreThanFiftyYearsAheadIsOfThePastCentury() {
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void aDateInThePastIsNoWait() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "-5", "1.5", "soon", "120s", "Wed, 21 Oct 2026 07:28:00 CET",
      "Thu, 21 Oct 2026 07:28:00 GMT", "0x10"})
  void anythingElseIsNoHint(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isEmpty();
  }

  @Test
  void readsTheFirstHeaderValue() {
    HttpHeaders headers = HttpHeaders.of(Map.of("retry-after", List.of("30", "60")), (name, value) -> true);

    assertThat(RetryAfter.from(headers, NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.from(HttpHeaders.of(Map.of(), (name, value) -> true), NOW)).isEmpty();
  }

  @Test
  void rejectsNullArgumentsByName() {
    assertThatThrownBy(() -> RetryAfter.parse(null, NOW)).isInstanceOf(NullPointerException.class)
        .hasMessage("value must not be null");
    assertThatThrownBy(() -> RetryAfter.parse("1", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("now must not be null");
    assertThatThrownBy(() -> RetryAfter.from(null, NOW)).isInstanceOf(NullPointerException.class)
        .hasMessage("headers must not be null");
  }
}
