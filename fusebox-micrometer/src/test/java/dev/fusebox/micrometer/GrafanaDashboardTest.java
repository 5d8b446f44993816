package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testsupport.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed Grafana dashboard is valid JSON and queries only metrics that a real scrape has. */
class GrafanaDashboardTest {

  static final Path DASHBOARD = Path.of("grafana", "fusebox-circuitbreakers.json");

  private static Map<String, Object> dashboard;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws IOException {
    dashboard = (Map<String, Object>) Json.parse(Files.readString(DASHBOARD));
  }

  @Test
  void everyMetricTheDashboardQueriesExistsInARealScrape() {
    List<String> expressions = new ArrayList<>();
    collectQueries(dashboard, expressions);
    Set<String> used = new TreeSet<>();
    expressions.forEach(e -> used.addAll(RealScrape.metricNamesIn(e)));

    assertThat(expressions).hasSizeGreaterThan(15);
    assertThat(used).isNotEmpty();
    assertThat(RealScrape.sampleNames()).containsAll(used);
  }

  @Test
  void everyMeterOfTheBindingIsOnTheDashboard() {
    List<String> expressions = new ArrayList<>();
    collectQueries(dashboard, expressions);
    Set<String> used = new TreeSet<>();
    expressions.forEach(e -> used.addAll(RealScrape.metricNamesIn(e)));

    Set<String> families = new TreeSet<>();
    FuseboxMetricsScrapeTest.DEFAULT_SAMPLE_NAMES.forEach(n -> families.add(n.replaceAll("_(count|sum)$", "")));
    Set<String> usedFamilies = new TreeSet<>();
    used.forEach(n -> usedFamilies.add(n.replaceAll("_(count|sum|bucket)$", "")));
    assertThat(usedFamilies).containsAll(families);
  }

  @Test
  @SuppressWarnings("unchecked")
  void hasADatasourceAndABreakerNameVariable() {
    List<Map<String, Object>> variables =
        (List<Map<String, Object>>) ((Map<String, Object>) dashboard.get("templating")).get("list");
    assertThat(variables).extracting(v -> v.get("name")).containsExactly("datasource", "name");
    assertThat(variables.get(0)).containsEntry("type", "datasource").containsEntry("query", "prometheus");
    assertThat(variables.get(1)).containsEntry("type", "query")
        .containsEntry("definition", "label_values(fusebox_circuitbreaker_state, name)")
        .containsEntry("multi", true)
        .containsEntry("includeAll", true);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyQueryPanelUsesTheDatasourceVariableAndTheNameFilter() {
    List<Map<String, Object>> panels = (List<Map<String, Object>>) dashboard.get("panels");
    List<String> titles = new ArrayList<>();
    for (Map<String, Object> panel : panels) {
      if ("row".equals(panel.get("type"))) {
        continue;
      }
      titles.add((String) panel.get("title"));
      assertThat((Map<String, Object>) panel.get("datasource")).containsEntry("uid", "${datasource}");
      for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
        assertThat((String) target.get("expr")).as(panel.get("title").toString()).contains("name=~\"$name\"");
      }
    }
    assertThat(titles).contains(
        "State", "Failure rate", "Slow-call rate", "Calls by outcome", "Rejected calls", "Transitions",
        "Time until next trial");
    assertThat(panels).extracting(p -> p.get("type")).contains("state-timeline");
  }

  /** Collects every PromQL string: panel targets' {@code expr} and the variables' queries. */
  @SuppressWarnings("unchecked")
  private static void collectQueries(Object node, List<String> into) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        if (("expr".equals(key) || "definition".equals(key) || "query".equals(key)) && value instanceof String s) {
          into.add(s);
        } else {
          collectQueries(value, into);
        }
      });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collectQueries(item, into));
    }
  }
}
