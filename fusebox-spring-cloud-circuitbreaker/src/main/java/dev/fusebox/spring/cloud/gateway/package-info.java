/**
 * Spring Cloud Gateway's {@code CircuitBreaker} route filter on Fusebox: with this module on the class path
 * a route's filter runs on {@link dev.fusebox.spring.cloud.ReactiveFuseboxCircuitBreakerFactory}, with no
 * other setup.
 *
 * <pre>{@code
 * spring.cloud.gateway.server.webflux.routes[0]:
 *   id: orders
 *   uri: http://orders:8080
 *   predicates: [ Path=/orders/** ]
 *   filters:
 *     - name: CircuitBreaker
 *       args: { name: orders, fallbackUri: forward:/fallback/orders, statusCodes: [ 500, 503 ] }
 * }</pre>
 */
package dev.fusebox.spring.cloud.gateway;
