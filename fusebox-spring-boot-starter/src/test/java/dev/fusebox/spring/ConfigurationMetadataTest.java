package dev.fusebox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** IDEs complete and document the keys: the metadata the build generates has the options, defaults and hints. */
class ConfigurationMetadataTest {

  @Test
  @SuppressWarnings("unchecked")
  void describesEveryOptionWithItsDefault() throws Exception {
    Map<String, Object> metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = JsonMapper.builder().build().readValue(in, Map.class);
    }
    List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
    Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
    properties.forEach(p -> byName.put((String) p.get("name"), p));

    assertThat(byName.get("fusebox.circuitbreaker.configs.default.failure-rate-threshold"))
        .containsEntry("defaultValue", 50)
        .containsEntry("type", "java.lang.Double");
    assertThat(byName.get("fusebox.circuitbreaker.configs.default.wait-duration-in-open-state"))
        .containsEntry("defaultValue", "60s");
    assertThat(byName.get("fusebox.circuitbreaker.configs.default.deploy-mode-failure-threshold"))
        .containsEntry("defaultValue", 1)
        .containsEntry("type", "java.lang.Integer");
    assertThat(byName.get("fusebox.circuitbreaker.configs.default.slow-call-baseline-period"))
        .containsEntry("defaultValue", "1m");
    assertThat(byName).containsKeys(
        "fusebox.circuitbreaker.configs.default.recovery-ramp",
        "fusebox.circuitbreaker.configs.default.open-state-backoff.multiplier",
        "fusebox.circuitbreaker.configs.default.consecutive-failure-threshold",
        "fusebox.circuitbreaker.configs.default.failure-rate-confidence",
        "fusebox.circuitbreaker.configs.default.slow-call-duration-percentile",
        "fusebox.circuitbreaker.configs.default.slow-call-duration-multiplier",
        "fusebox.circuitbreaker.configs.default.slow-call-baseline-period",
        "fusebox.circuitbreaker.configs.default.slow-call-baseline-minimum-calls",
        "fusebox.circuitbreaker.configs.default.deploy-mode-failure-threshold",
        "fusebox.retry.configs.default.max-attempts",
        "fusebox.timelimiter.configs.default.timeout-duration",
        "fusebox.bulkhead.configs.default.max-concurrent-calls",
        "fusebox.adaptive-bulkhead.configs.default.initial-limit",
        "fusebox.adaptive-bulkhead.configs.default.drop-exceptions",
        "fusebox.adaptive-bulkhead.instances",
        "fusebox.redis.cluster",
        "fusebox.ratelimiter.configs.default.limit-for-period",
        "fusebox.ratelimiter.instances",
        "fusebox.circuitbreaker.instances",
        "fusebox.circuitbreaker.event-history-capacity",
        "fusebox.redis.uri",
        "fusebox.redis.degraded-policy",
        "fusebox.dashboard.path",
        "fusebox.webclient.enabled",
        "fusebox.refresh.enabled",
        "management.endpoint.circuitbreakers.access");
    // Descriptions come from the properties' own javadoc, too.
    assertThat((String) byName.get("fusebox.dashboard.path").get("description")).contains("path");
    assertThat((List<Map<String, Object>>) metadata.get("hints"))
        .anySatisfy(h -> assertThat(h).containsEntry("name", "fusebox.circuitbreaker.configs.default.record-exceptions"));
  }
}
