package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java examples identical to code that this module compiles and runs.
 *
 * <p>Each Java block of the README is preceded by {@code <!-- example: name -->}; the test sources of this
 * module hold the same code between {@code // tag::name[]} and {@code // end::name[]}, inside a test that
 * runs it. A block without its tagged twin, or a twin that differs by one character, fails the build.
 *
 * <p>A block preceded by {@code <!-- from: docs/guide.md -->} instead must appear, verbatim, in that guide,
 * whose own module's tests keep it equal to tested code or to output captured from a real run (the Spring
 * Boot starter's YAML, annotated bean and actuator output, for instance).
 */
class ReadmeTest {

  private static final Path README = Path.of("..", "README.md");
  private static final Pattern BLOCK =
      Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern FROM_GUIDE =
      Pattern.compile("<!-- from: ([\\w./-]+) -->\\s*(```\\w+\\n.*?```)", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  static Map<String, String> readmeExamples() throws IOException {
    Map<String, String> examples = new LinkedHashMap<>();
    Matcher m = BLOCK.matcher(Files.readString(README));
    while (m.find()) {
      String previous = examples.put(m.group(1), m.group(2).strip());
      assertThat(previous).as("example name %s used twice in the README", m.group(1)).isNull();
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
  void everyJavaBlockOfTheReadmeIsTestedCode() throws IOException {
    Map<String, String> readme = readmeExamples();
    Map<String, String> tested = taggedSources();
    assertThat(readme).as("Java examples in the README").isNotEmpty();
    for (Map.Entry<String, String> example : readme.entrySet()) {
      assertThat(tested).as("a tagged, tested twin of README example '%s'", example.getKey()).containsKey(example.getKey());
      assertThat(example.getValue()).as("README example '%s'", example.getKey()).isEqualTo(tested.get(example.getKey()));
    }
    assertThat(readme.keySet()).as("tagged examples that the README lost").containsAll(tested.keySet());
  }

  @Test
  void everyBlockTakenFromAGuideIsInThatGuideVerbatim() throws IOException {
    Matcher m = FROM_GUIDE.matcher(Files.readString(README));
    int blocks = 0;
    while (m.find()) {
      blocks++;
      String guide = Files.readString(Path.of("..").resolve(m.group(1)));
      assertThat(guide).as("block taken from %s:%n%s", m.group(1), m.group(2)).contains(m.group(2));
    }
    assertThat(blocks).as("blocks taken from guides").isPositive();
  }

  @Test
  void theReadmeHasNoUntaggedJavaBlock() throws IOException {
    String text = Files.readString(README);
    int javaBlocks = text.split("```java\\n", -1).length - 1;
    int fromGuides = 0;
    Matcher m = FROM_GUIDE.matcher(text);
    while (m.find()) {
      fromGuides += m.group(2).startsWith("```java") ? 1 : 0;
    }
    assertThat(javaBlocks).isEqualTo(readmeExamples().size() + fromGuides);
  }
}
