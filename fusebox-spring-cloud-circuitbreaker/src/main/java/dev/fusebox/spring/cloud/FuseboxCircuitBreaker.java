package dev.fusebox.spring.cloud;

import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.timelimiter.TimeLimiter;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;

/** A Spring Cloud circuit breaker over a Fusebox breaker and its optional time limiter and bulkhead. */
final class FuseboxCircuitBreaker implements CircuitBreaker {

  private final dev.fusebox.circuitbreaker.CircuitBreaker breaker;
  private final TimeLimiter limiter;
  private final Bulkhead bulkhead;

  FuseboxCircuitBreaker(dev.fusebox.circuitbreaker.CircuitBreaker breaker, TimeLimiter limiter, Bulkhead bulkhead) {
    this.breaker = breaker;
    this.limiter = limiter;
    this.bulkhead = bulkhead;
  }

  @Override
  public <T> T run(Supplier<T> toRun, Function<Throwable, T> fallback) {
    Objects.requireNonNull(toRun, "toRun must not be null");
    Objects.requireNonNull(fallback, "fallback must not be null");
    Supplier<T> call = limiter == null ? toRun : limiter.decorateSupplier(toRun);
    if (bulkhead == null) {
      return breaker.executeSupplier(call, fallback);
    }
    T result;
    try {
      result = bulkhead.executeSupplier(() -> breaker.executeSupplier(call));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      try {
        return fallback.apply(e);
      } catch (Throwable fallbackFailure) {
        if (fallbackFailure != e) {
          fallbackFailure.addSuppressed(e);
        }
        throw fallbackFailure;
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return "FuseboxCircuitBreaker{" + breaker.name() + '}';
  }
}
