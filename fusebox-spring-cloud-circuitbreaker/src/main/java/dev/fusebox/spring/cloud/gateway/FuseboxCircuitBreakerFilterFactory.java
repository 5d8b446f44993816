package dev.fusebox.spring.cloud.gateway;

import dev.fusebox.bulkhead.BulkheadFullException;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerFilterFactory;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * The Gateway's {@code CircuitBreaker} route filter on a Fusebox reactive factory: its {@code name} is the
 * breaker's id (so {@code fusebox.circuitbreaker.instances.<name>} configures it), {@code fallbackUri}
 * answers instead of a failing or rejected call, and {@code statusCodes} turns those upstream statuses into
 * failures. Without a fallback a rejection (an open breaker, a full bulkhead) answers 503 and a time-out
 * 504, as the Gateway does for Resilience4j. Auto-configured; declare it yourself only to change that.
 *
 * <pre>{@code
 * filters:
 *   - name: CircuitBreaker
 *     args: { name: orders, fallbackUri: forward:/fallback/orders, statusCodes: [ 500, 503 ] }
 * }</pre>
 */
public class FuseboxCircuitBreakerFilterFactory extends SpringCloudCircuitBreakerFilterFactory {

  /**
   * Creates the filter factory.
   *
   * @param reactiveCircuitBreakerFactory the factory of the routes' breakers
   * @param dispatcherHandler the handler a {@code forward:} fallback goes through
   */
  public FuseboxCircuitBreakerFilterFactory(
      ReactiveCircuitBreakerFactory<?, ?> reactiveCircuitBreakerFactory,
      ObjectProvider<DispatcherHandler> dispatcherHandler) {
    super(reactiveCircuitBreakerFactory, dispatcherHandler);
  }

  /**
   * Answers a failed call on a route without a fallback.
   *
   * @param t the call's failure, or a policy's rejection
   * @param resumeWithoutError whether the route asked to pass the upstream's response on unchanged
   * @return the error the Gateway answers with, or an empty result to pass the response on
   */
  @Override
  protected Mono<Void> handleErrorWithoutFallback(Throwable t, boolean resumeWithoutError) {
    if (t instanceof TimeoutException) {
      return Mono.error(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, t.getMessage(), t));
    }
    if (t instanceof CallNotPermittedException || t instanceof BulkheadFullException) {
      return Mono.error(new ServiceUnavailableException());
    }
    if (resumeWithoutError) {
      return Mono.empty();
    }
    return Mono.error(t);
  }
}
