package dev.fusebox.example;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.spring.annotation.CircuitBreaker;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Calls the upstream through the {@code upstream} breaker, and keeps the last good answer for when it
 * cannot. The breaker counts a 5xx, a connection failure or a timeout as a failure; once it opens, calls
 * are answered from the fallback at once, without waiting for a failing upstream.
 */
@Component
public class UpstreamClient {

  /** Where an answer came from. */
  public enum Source {
    /** The upstream answered. */
    LIVE,
    /** The upstream failed or the breaker is open: the last good answer. */
    CACHED,
    /** The upstream failed or the breaker is open, and there is no good answer yet. */
    NONE
  }

  /**
   * An answer for the endpoint.
   *
   * @param source where it came from
   * @param body the upstream's body, live or cached; {@code null} with {@link Source#NONE}
   * @param retryAfterSeconds while the breaker is open, when it will try the upstream again; else null
   */
  public record Answer(Source source, String body, Long retryAfterSeconds) {}

  private final RestClient client;
  private final String url;
  private final AtomicReference<String> lastGood = new AtomicReference<>();

  /**
   * Creates the client.
   *
   * @param builder Spring Boot's RestClient builder
   * @param url the upstream's address
   * @param timeout how long to wait for the upstream
   */
  public UpstreamClient(
      RestClient.Builder builder,
      @Value("${upstream.url}") String url,
      @Value("${upstream.timeout:2s}") Duration timeout) {
    JdkClientHttpRequestFactory requests =
        new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(timeout).build());
    requests.setReadTimeout(timeout);
    this.client = builder.requestFactory(requests).build();
    this.url = url;
  }

  /**
   * Calls the upstream, through the breaker; on failure, the fallback answers.
   *
   * @return the answer: live from the upstream, from the last good data, or none, with the wait the breaker
   *     asks for
   */
  @CircuitBreaker(name = "upstream", fallbackMethod = "fallback")
  public Answer fetch() {
    String body = client.get().uri(url).retrieve().body(String.class);
    lastGood.set(body);
    return new Answer(Source.LIVE, body, null);
  }

  /** The breaker is open: the call never reached the upstream. */
  Answer fallback(CallNotPermittedException rejected) {
    Long retryAfter = rejected.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(null);
    return cachedOrNone(retryAfter);
  }

  /** The upstream failed: an error status, a refused connection, a timeout. */
  Answer fallback(Exception failure) {
    return cachedOrNone(null);
  }

  private Answer cachedOrNone(Long retryAfter) {
    String cached = lastGood.get();
    return cached != null ? new Answer(Source.CACHED, cached, retryAfter) : new Answer(Source.NONE, null, retryAfter);
  }
}
