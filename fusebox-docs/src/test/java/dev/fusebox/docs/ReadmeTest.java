package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java examples of the README and of the guides this module owns identical to code that this
 * module compiles and runs.
 *
 * <p>Each Java block of those documents is preceded by {@code <!-- example: name -->}; the test sources of
 * this module hold the same code between {@code // tag::name[]} and {@code // end::name[]}, inside a test
 * that runs it. A block without its tagged twin, or a twin that differs by one character, fails the build;
 * so does a tagged region that no document shows.
 *
 * <p>A block preceded by {@code <!-- from: docs/guide.md -->} instead must appear, verbatim, in that guide,
 * whose own module's tests keep it equal to tested code or to output captured from a real run (the Spring
 * Boot starter's YAML, annotated bean and actuator output, for instance).
 */
class ReadmeTest {

  private static final Path README = Path.of("..", "README.md");
  /** The README and the guides whose examples live in this module's tests. */
  static final List<Path> DOCUMENTS =
      List.of(
          README,
          Path.of("..", "docs", "circuit-breaker.md"),
          Path.of("..", "docs", "policies.md"),
          Path.of("..", "docs", "micrometer.md"),
          Path.of("..", "docs", "observability.md"),
          Path.of("..", "docs", "circuitbreaker-guarantees.md"),
          Path.of("..", "docs", "resilience4j-differences.md"));
  /** The README is a front door, not a manual. */
  static final int README_MAX_LINES = 250;
  private static final Pattern BLOCK =
      Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern FROM_GUIDE =
      Pattern.compile("<!-- from: ([\\w./-]+) -->\\s*(```\\w+\\n.*?```)", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  static Map<String, String> documentedExamples() throws IOException {
    Map<String, String> examples = new LinkedHashMap<>();
    for (Path document : DOCUMENTS) {
      Matcher m = BLOCK.matcher(Files.readString(document));
      while (m.find()) {
        String previous = examples.put(m.group(1), m.group(2).strip());
        assertThat(previous).as("example name %s used twice in the documents", m.group(1)).isNull();
      }
    }
    return examples;
  }

  static Map<String, String> taggedSources() throws IOException {
    Map<String, String> tagged = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = TAGGED.matcher(Files.readString(file));
        while (m.find()) {
          tagged.put(m.group(1), dedent(m.group(2)));
        }
      }
    }
    return tagged;
  }

  /** Removes the indentation common to every non-blank line. */
  static String dedent(String code) {
    int common =
        code.lines()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    code.lines().forEach(line -> out.append(line.isBlank() ? "" : line.substring(common)).append('\n'));
    return out.toString().strip();
  }

  @Test
  void everyJavaBlockOfTheDocumentsIsTestedCode() throws IOException {
    Map<String, String> documented = documentedExamples();
    Map<String, String> tested = taggedSources();
    assertThat(documented).as("Java examples in the documents").isNotEmpty();
    for (Map.Entry<String, String> example : documented.entrySet()) {
      assertThat(tested).as("a tagged, tested twin of example '%s'", example.getKey()).containsKey(example.getKey());
      assertThat(example.getValue()).as("example '%s'", example.getKey()).isEqualTo(tested.get(example.getKey()));
    }
    assertThat(documented.keySet()).as("tagged examples that no document shows").containsAll(tested.keySet());
  }

  @Test
  void everyBlockTakenFromAGuideIsInThatGuideVerbatim() throws IOException {
    int blocks = 0;
    for (Path document : DOCUMENTS) {
      Matcher m = FROM_GUIDE.matcher(Files.readString(document));
      while (m.find()) {
        blocks++;
        String guide = Files.readString(Path.of("..").resolve(m.group(1)));
        assertThat(guide).as("block of %s taken from %s:%n%s", document, m.group(1), m.group(2)).contains(m.group(2));
      }
    }
    assertThat(blocks).as("blocks taken from guides").isPositive();
  }

  @Test
  void theDocumentsHaveNoUntaggedJavaBlock() throws IOException {
    for (Path document : DOCUMENTS) {
      String text = Files.readString(document);
      int javaBlocks = text.split("```java\\n", -1).length - 1;
      int tagged = 0;
      Matcher m = FROM_GUIDE.matcher(text);
      while (m.find()) {
        tagged += m.group(2).startsWith("```java") ? 1 : 0;
      }
      Matcher examples = BLOCK.matcher(text);
      while (examples.find()) {
        tagged++;
      }
      assertThat(javaBlocks).as("Java blocks of %s that no test keeps true", document).isEqualTo(tagged);
    }
  }

  @Test
  void theReadmeIsAFrontDoorThatLinksToGuidesThatExist() throws IOException {
    String readme = Files.readString(README);
    assertThat(readme.lines().count()).as("lines of the README").isLessThanOrEqualTo(README_MAX_LINES);
    List<String> lines = readme.lines().toList();
    assertThat(lines.get(0)).isEqualTo("# Fusebox");
    Matcher links = Pattern.compile("\\]\\(((?:docs/)?[\\w./-]+\\.md)(#[\\w-]+)?\\)").matcher(readme);
    int found = 0;
    while (links.find()) {
      found++;
      assertThat(Path.of("..").resolve(links.group(1))).as("the README's link to %s", links.group(1)).exists();
    }
    assertThat(found).as("links from the README to the guides").isGreaterThan(10);
    for (Path guide : DOCUMENTS.subList(1, DOCUMENTS.size())) {
      Matcher inGuide = Pattern.compile("\\]\\(([\\w./-]+\\.md)(#[\\w-]+)?\\)").matcher(Files.readString(guide));
      while (inGuide.find()) {
        assertThat(guide.resolveSibling(inGuide.group(1))).as("the link of %s to %s", guide, inGuide.group(1)).exists();
      }
    }
  }
}
