package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java blocks of docs/redis.md's "Connecting and security" section in step with the tests that
 * compile and run them against real servers (TlsTest, SentinelTest): each block's chain of builder calls
 * must be the chain of one example those tests mark with {@code // --- docs/redis.md: ... ---}.
 */
class ConnectionDocsTest {

  private static final Pattern CALL = Pattern.compile("\\.(\\w+)\\(");

  @Test
  void everyJavaBlockOfTheSectionIsRunByATest() throws IOException {
    String docs = read(find("docs/redis.md"));
    int start = docs.indexOf("## Connecting and security");
    int end = docs.indexOf("\n## ", start + 1);
    assertThat(start).as("docs/redis.md has the section").isNotNegative();
    String section = docs.substring(start, end < 0 ? docs.length() : end);
    List<List<String>> blocks = new ArrayList<>();
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (block.find()) {
      blocks.add(calls(block.group(1).replaceAll("//[^\\n]*", "")));
    }
    assertThat(blocks).as("Java blocks in the section").hasSizeGreaterThanOrEqualTo(2);

    List<List<String>> examples = new ArrayList<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/test/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher marked = Pattern.compile("// --- docs/redis\\.md: [^\\n]*---\\n(.*?)// --- end of example ---",
            Pattern.DOTALL).matcher(read(source));
        while (marked.find()) {
          examples.add(calls(marked.group(1).replaceAll("//[^\\n]*", "")));
        }
      }
    }
    assertThat(examples).as("examples run by the tests").containsAll(blocks);
  }

  private static List<String> calls(String code) {
    List<String> out = new ArrayList<>();
    Matcher m = CALL.matcher(code);
    while (m.find()) {
      out.add(m.group(1));
    }
    // The documented paths are not part of the chain: tests point at their own files.
    out.removeIf(name -> name.equals("of") || name.equals("resolve"));
    return out;
  }

  private static Path find(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
