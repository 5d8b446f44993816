package dev.fusebox.demo;

import java.time.Duration;

/**
 * What the upstream answers and the service passes on: a price, and where it came from.
 *
 * @param sku the product
 * @param price the price in cents; 0 when none is known
 * @param source {@code upstream}, {@code stale} (the last known good answer, served by the fallback) or
 *     {@code fallback} (no answer known: the default)
 * @param ageMillis how old a stale answer is
 */
record Quote(String sku, long price, String source, long ageMillis) {

  static final String UPSTREAM = "upstream";
  static final String STALE = "stale";
  static final String FALLBACK = "fallback";

  static Quote fresh(String sku, long price) {
    return new Quote(sku, price, UPSTREAM, 0);
  }

  static Quote unavailable(String sku) {
    return new Quote(sku, 0, FALLBACK, 0);
  }

  Quote stale(Duration age) {
    return new Quote(sku, price, STALE, age.toMillis());
  }

  /** Returns whether the answer did not come from the upstream just now. */
  boolean isFallback() {
    return !source.equals(UPSTREAM);
  }

  String toJson() {
    return "{\"sku\":\"" + sku + "\",\"price\":" + price + ",\"source\":\"" + source + "\",\"ageMillis\":" + ageMillis + "}";
  }

  /** Reads the upstream's body, {@code sku price}, as the service receives it. */
  static Quote parseUpstream(String body) {
    String[] parts = body.trim().split(" ");
    if (parts.length != 2) {
      throw new UpstreamException("unexpected upstream body: " + body);
    }
    return fresh(parts[0], Long.parseLong(parts[1]));
  }
}
