package dev.fusebox.example.webflux;

import dev.fusebox.spring.annotation.CircuitBreaker;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Calls the upstream. The breaker acts per subscription: permission when the {@code Mono} is subscribed,
 * the outcome when it ends, and while it is open the upstream is not called at all.
 */
@Component
public class QuoteClient {

  private final WebClient client;
  private final Environment environment;

  /**
   * Creates the client.
   *
   * @param builder Spring Boot's WebClient builder
   * @param environment where {@code upstream.url} is read, at each call: the default names the port the
   *     server got, known only once it started
   */
  public QuoteClient(WebClient.Builder builder, Environment environment) {
    this.client = builder.build();
    this.environment = environment;
  }

  /**
   * Asks the upstream for a quote.
   *
   * @return the quote, or the fallback's answer
   */
  @CircuitBreaker(name = "quotes", fallbackMethod = "noQuote")
  public Mono<String> quote() {
    return client.get().uri(environment.getRequiredProperty("upstream.url")).retrieve().bodyToMono(String.class);
  }

  /** The fallback: a Mono too, as the method's type. */
  Mono<String> noQuote(Throwable failure) {
    return Mono.just("no quote right now (" + failure.getClass().getSimpleName() + ")");
  }
}
