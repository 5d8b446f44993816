/**
 * Circuit breakers and retries for {@link java.net.http.HttpClient}.
 *
 * <p>{@link dev.fusebox.http.FuseboxHttpClient} wraps a client and is one: breakers per host, route or
 * logical service and per instance ({@link dev.fusebox.http.HttpBreakerKey}), outcomes classified by an
 * {@link dev.fusebox.http.HttpOutcomeClassifier} (which other HTTP client integrations reuse), the
 * server's {@code Retry-After} read by {@link dev.fusebox.http.RetryAfter} and honoured by breakers and
 * retries.
 */
package dev.fusebox.http;
