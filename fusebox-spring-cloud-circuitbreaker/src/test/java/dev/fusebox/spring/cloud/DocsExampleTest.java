package dev.fusebox.spring.cloud;

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
 * The Java examples of docs/spring-cloud.md are the tests' own code: each block follows an
 * {@code <!-- example: name -->} marker and equals the code between {@code // tag::name[]} and
 * {@code // end::name[]} in this module's tests, which run it against real applications.
 */
class DocsExampleTest {

  private static final Path GUIDE = Path.of("..", "docs", "spring-cloud.md");
  private static final Pattern BLOCK =
      Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  @Test
  void theGuideShowsExactlyTheTaggedCode() throws IOException {
    Map<String, String> guide = new LinkedHashMap<>();
    Matcher block = BLOCK.matcher(Files.readString(GUIDE));
    while (block.find()) {
      assertThat(guide.put(block.group(1), block.group(2).strip())).as("example %s twice", block.group(1)).isNull();
    }
    Map<String, String> tagged = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher tag = TAGGED.matcher(Files.readString(file));
        while (tag.find()) {
          tagged.put(tag.group(1), dedent(tag.group(2)));
        }
      }
    }
    assertThat(guide.keySet()).containsExactlyInAnyOrderElementsOf(tagged.keySet());
    guide.forEach((name, code) -> assertThat(code).as("docs/spring-cloud.md example '%s'", name).isEqualTo(tagged.get(name)));
    assertThat(Files.readString(GUIDE)).as("every Java block is a tested example")
        .doesNotContainPattern("(?<!-->)\\n\\n```java");
  }

  private static String dedent(String code) {
    int common = code.lines().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    code.lines().forEach(line -> out.append(line.isBlank() ? "" : line.substring(common)).append('\n'));
    return out.toString().strip();
  }
}
