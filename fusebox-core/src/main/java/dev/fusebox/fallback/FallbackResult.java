package dev.fusebox.fallback;

import java.time.Duration;

/**
 * A call's answer together with where it came from, returned by the {@code ...ForResult} methods of
 * {@link Fallback}: this is how a caller learns that it is serving a stale value, to say so downstream.
 *
 * <pre>{@code
 * FallbackResult<Price> answer = prices.executeSupplierForResult(sku, () -> priceService.fetch(sku));
 * if (answer.isStale()) {
 *   response.setHeader("X-Cache", "stale");
 *   response.setHeader("Age", Long.toString(answer.age().toSeconds()));
 *   response.setHeader("Warning", "110 - \"Response is Stale\"");
 * }
 * return answer.value();
 * }</pre>
 *
 * @param value the value handed to the caller
 * @param source where the value came from
 * @param cause why the call's own answer was not used: its exception, or a {@link RejectedResultException}
 *     for a result that {@link FallbackConfig.Builder#fallbackOnResult fallbackOnResult} rejects; {@code null}
 *     when the call succeeded. A rejected result with nothing to replace it is returned with source
 *     {@link Source#CALL} and this cause set.
 * @param age how old a {@link Source#LAST_KNOWN_GOOD} value is; {@link Duration#ZERO} for other sources
 * @param <T> the value's type
 */
public record FallbackResult<T>(T value, Source source, Throwable cause, Duration age) {

  /** Where a value came from. */
  public enum Source {
    /** The call itself answered. */
    CALL,
    /** The last-known-good cache answered, with a value the call returned earlier: it is stale. */
    LAST_KNOWN_GOOD,
    /** The configured alternative (a value, a supplier or a function of the failure) answered. */
    FALLBACK
  }

  /**
   * Returns whether the value is an earlier answer served from the last-known-good cache.
   *
   * @return whether the value is an earlier answer served from the last-known-good cache
   */
  public boolean isStale() {
    return source == Source.LAST_KNOWN_GOOD;
  }

  /**
   * Returns whether the value replaces the call's own answer.
   *
   * @return whether the value replaces the call's own answer
   */
  public boolean isFallback() {
    return source != Source.CALL;
  }
}
