package dev.fusebox.example;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /external-api}: the upstream's data, live (200), from the last good answer when the upstream
 * fails or the breaker is open (200, with {@code X-Fallback: cached}), or a fixed message with 503 when
 * there is none, with {@code Retry-After} while the breaker is open.
 */
@RestController
public class ExternalApiController {

  /** The body of the 503 when there is no good answer to fall back on. */
  public static final String UNAVAILABLE = "{\"message\": \"Service unavailable. Using fallback data.\"}";

  private final UpstreamClient upstream;

  /**
   * Creates the controller.
   *
   * @param upstream the guarded client
   */
  public ExternalApiController(UpstreamClient upstream) {
    this.upstream = upstream;
  }

  /**
   * Answers with the upstream's data, the last good data, or 503.
   *
   * @return 200 with the live or the cached data, or 503 with {@link #UNAVAILABLE} when there is none
   */
  @GetMapping(path = "/external-api", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> externalApi() {
    UpstreamClient.Answer answer = upstream.fetch();
    ResponseEntity.BodyBuilder response = switch (answer.source()) {
      case LIVE -> ResponseEntity.ok();
      case CACHED -> ResponseEntity.ok().header("X-Fallback", "cached");
      case NONE -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
    };
    if (answer.retryAfterSeconds() != null) {
      response.header("Retry-After", String.valueOf(answer.retryAfterSeconds()));
    }
    return response.contentType(MediaType.APPLICATION_JSON).body(answer.body() != null ? answer.body() : UNAVAILABLE);
  }
}
