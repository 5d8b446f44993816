package dev.fusebox.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code fusebox} endpoint lists every policy registry bean, the application's own among them, through
 * the numbers each kind declares.
 */
class PoliciesEndpointTest extends WebTest {

  @Autowired
  WebTestApplication.CounterRegistry counters;

  @Test
  @SuppressWarnings("unchecked")
  void listsTheApplicationsOwnRegistryBesideFuseboxs() throws Exception {
    HttpResponse<String> response = get("/actuator/fusebox");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Object> kinds = (Map<String, Object>) json(response.body()).get("kinds");
    assertThat(kinds).containsKeys(
        "counter", "circuitbreaker", "retry", "timelimiter", "bulkhead", "adaptivebulkhead", "ratelimiter",
        "chaos", "adaptivethrottle");
    assertThat((Map<String, Object>) kinds.get("counter")).containsKey("audit");
    assertThat((Map<String, Object>) kinds.get("circuitbreaker")).containsKey("inventory");
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneKindShowsItsPoliciesCurrentNumbers() throws Exception {
    WebTestApplication.Counter audit = counters.counter("audit");
    long before = audit.calls();
    audit.call();
    audit.call();
    HttpResponse<String> response = get("/actuator/fusebox/counter");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Object> values = (Map<String, Object>) json(response.body()).get("audit");
    assertThat(((Number) values.get("fusebox.counter.calls")).longValue()).isEqualTo(before + 2);
  }

  @Test
  void anUnknownKindIsNotFound() throws Exception {
    assertThat(get("/actuator/fusebox/nosuchkind").statusCode()).isEqualTo(404);
  }
}
