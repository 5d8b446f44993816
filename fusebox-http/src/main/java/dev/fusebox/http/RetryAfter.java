package dev.fusebox.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110, section 10.2.3) as a wait: either delta-seconds
 * ({@code Retry-After: 120}) or an HTTP-date ({@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}), the
 * latter turned into a wait from a wall-clock instant the caller passes.
 *
 * <p>Every date form a recipient must accept is read: the preferred IMF-fixdate, the obsolete RFC 850 form
 * ({@code Wednesday, 21-Oct-26 07:28:00 GMT}) and C's asctime form ({@code Wed Oct 21 07:28:00 2026}). A
 * date in the past is a wait of zero; delta-seconds too large for a {@link Duration} are the longest
 * one. Anything else (a negative number, a fraction, garbage) is no hint at all: a client must not stall
 * on a value it cannot read.
 *
 * <p>The wall clock is needed only to turn a date into a wait, never to measure time; pass a fixed
 * {@link java.time.Clock}'s instant in tests:
 *
 * <pre>{@code
 * Optional<Duration> wait = RetryAfter.parse("120", Instant.now());                  // 120 s
 * Optional<Duration> fromHeaders = RetryAfter.from(response.headers(), clock.instant());
 * }</pre>
 *
 * <p>This class is stateless and threadsafe.
 */
public final class RetryAfter {

  /** The header's name. */
  public static final String HEADER = "Retry-After";

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  /** RFC 850's date after the weekday, which is not checked: its two-digit year needs a century first. */
  private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);
  private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
  private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE);

  private RetryAfter() {}

  /**
   * Reads the first {@code Retry-After} value of these headers.
   *
   * @param headers a response's headers
   * @param now the current wall-clock time, to turn an HTTP-date into a wait
   * @return the wait, or empty when the header is absent or unreadable
   */
  public static Optional<Duration> from(HttpHeaders headers, Instant now) {
    Objects.requireNonNull(headers, "headers must not be null");
    Objects.requireNonNull(now, "now must not be null");
    Optional<String> value = headers.firstValue(HEADER);
    return value.isPresent() ? parse(value.get(), now) : Optional.empty();
  }

  /**
   * Reads one {@code Retry-After} value.
   *
   * @param value the header's value; surrounding white space is allowed
   * @param now the current wall-clock time, to turn an HTTP-date into a wait
   * @return the wait, zero for a date already past, or empty when the value cannot be read
   */
  public static Optional<Duration> parse(String value, Instant now) {
    Objects.requireNonNull(value, "value must not be null");
    Objects.requireNonNull(now, "now must not be null");
    String text = value.strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (isDigits(text)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      } catch (NumberFormatException e) {
        return Optional.of(LONGEST);
      }
    }
    Instant at = parseDate(text, now);
    if (at == null) {
      return Optional.empty();
    }
    Duration wait = Duration.between(now, at);
    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
  }

  private static boolean isDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static Instant parseDate(String text, Instant now) {
    LocalDateTime local = parseOrNull(text, IMF_FIXDATE);
    if (local == null) {
      local = parseOrNull(text, ASCTIME);
    }
    int comma = text.indexOf(", ");
    if (local == null && comma > 0) {
      local = parseOrNull(text.substring(comma + 2), RFC_850);
      if (local != null) {
        local = withRfc850Century(local, now);
      }
    }
    return local == null ? null : local.toInstant(ZoneOffset.UTC);
  }

  private static LocalDateTime parseOrNull(String text, DateTimeFormatter form) {
    try {
      return LocalDateTime.parse(text, form);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The formatter reads a two-digit year as 20yy; RFC 9110 asks for the year of that ending that is not
   * more than 50 years after now, so a reading further ahead moves back a century.
   */
  private static LocalDateTime withRfc850Century(LocalDateTime local, Instant now) {
    int thisYear = now.atZone(ZoneOffset.UTC).getYear();
    return local.getYear() > thisYear + 50 ? local.minusYears(100) : local;
  }
}
