package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The PromQL of the documentation is the tested resource's, and names only metrics a real scrape has. */
class PromqlDocsTest {

  static final Path DOCS = Path.of("..", "docs", "micrometer.md");

  record Query(String title, String promql) {}

  @Test
  void everyMetricTheQueriesUseExistsInARealScrape() throws IOException {
    List<Query> queries = resourceQueries();
    Set<String> used = new TreeSet<>();
    queries.forEach(q -> {
      Set<String> names = RealScrape.metricNamesIn(q.promql);
      assertThat(names).as(q.title).isNotEmpty();
      used.addAll(names);
    });

    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
    assertThat(RealScrape.sampleNames()).containsAll(used);
  }

  @Test
  void theDocumentationShowsExactlyTheTestedQueries() throws IOException {
    assertThat(documentedQueries()).containsExactlyElementsOf(resourceQueries());
  }

  /** Parses the resource: "## title" lines, each followed by its query lines, blocks separated by blank lines. */
  static List<Query> resourceQueries() throws IOException {
    String text;
    try (InputStream in = PromqlDocsTest.class.getResourceAsStream("/promql-queries.txt")) {
      assertThat(in).as("promql-queries.txt on the test class path").isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Query> queries = new ArrayList<>();
    String title = null;
    StringBuilder promql = new StringBuilder();
    for (String line : (text + "\n").split("\n", -1)) {
      if (line.startsWith("## ")) {
        title = line.substring(3).trim();
      } else if (line.startsWith("#")) {
        continue;
      } else if (line.isBlank()) {
        if (title != null && promql.length() > 0) {
          queries.add(new Query(title, promql.toString().strip()));
        }
        title = null;
        promql.setLength(0);
      } else if (title != null) {
        promql.append(line).append('\n');
      }
    }
    return queries;
  }

  /** Parses the documentation: each ```promql block, titled by the nearest "**title**" line above it. */
  static List<Query> documentedQueries() throws IOException {
    List<String> lines = Files.readAllLines(DOCS, StandardCharsets.UTF_8);
    List<Query> queries = new ArrayList<>();
    String title = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("**") && line.endsWith("**")) {
        title = line.substring(2, line.length() - 2).trim();
      } else if (line.equals("```promql")) {
        StringBuilder promql = new StringBuilder();
        for (i++; !lines.get(i).equals("```"); i++) {
          promql.append(lines.get(i)).append('\n');
        }
        queries.add(new Query(title, promql.toString().strip()));
        title = null;
      }
    }
    return queries;
  }
}
