/**
 * The WebFlux example: {@code GET /quote} calls an upstream with {@code WebClient} through an annotated
 * circuit breaker on a {@code Mono}, which answers from a fallback while the upstream is down.
 */
package dev.fusebox.example.webflux;
