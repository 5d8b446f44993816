package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 8: instances in separate JVMs agree. Two child JVMs run {@link SharedStateChild} with this test's
 * class path; with this JVM they form a fleet of three. Low traffic in every JVM opens the fleet in all of
 * them, and an opening caused in one child reaches the other child and this JVM.
 */
@ExtendWith(RedisToUse.class)
class MultiJvmTest {

  /** A child JVM and the answers it printed. */
  static final class Child implements AutoCloseable {
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    Child(String uri, String prefix, String id) throws IOException {
      String classPath = System.getProperty("jdk.module.path", "") + File.pathSeparator
          + System.getProperty("java.class.path");
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath, SharedStateChild.class.getName(),
                  uri, prefix, id)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            if (line.startsWith("> ")) {
              answers.add(line.substring(2));
            }
          }
        } catch (IOException e) {
          // the child ended
        }
      }, "child-" + id);
      reader.setDaemon(true);
      reader.start();
    }

    String await() {
      try {
        String answer = answers.poll(60, TimeUnit.SECONDS);
        if (answer == null) {
          throw new AssertionError("the child JVM did not answer within 60 s");
        }
        return answer;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    String ask(String command) {
      try {
        commands.write(command + "\n");
        commands.flush();
      } catch (IOException e) {
        throw new AssertionError("the child JVM is gone", e);
      }
      return await();
    }

    @Override
    public void close() {
      try {
        ask("quit");
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (AssertionError | InterruptedException e) {
        // it is killed below
      } finally {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void instancesInSeparateJvmsShareOneBreaker(RedisToUse.Target redis) throws IOException {
    List<Child> children = new ArrayList<>();
    try (RedisSharedState here =
        RedisSharedState.builder()
            .uri(redis.uri())
            .keyPrefix(redis.prefix())
            .instanceId("parent")
            .syncInterval(Duration.ofMillis(200))
            .build()) {
      for (int i = 1; i <= 2; i++) {
        children.add(new Child(redis.uri(), redis.prefix(), "child-" + i));
      }
      for (Child child : children) {
        assertThat(child.await()).isEqualTo("ready");
      }
      CircuitBreakerRegistry registry = here.registry(SharedStateChild.CONFIG);

      // Low traffic everywhere: 4 failures per JVM, below the minimum of 10 in each, 12 in the fleet.
      CircuitBreaker lowTraffic = registry.circuitBreaker("low-traffic");
      for (Child child : children) {
        assertThat(child.ask("state low-traffic")).isEqualTo("CLOSED");
      }
      Poll.until(Duration.ofSeconds(20), "this JVM flushed the breaker", () -> here.loop().find("low-traffic").knownState() >= 0);
      for (Child child : children) {
        assertThat(child.ask("fail low-traffic 4")).isEqualTo("4");
      }
      Calls.fail(lowTraffic, 4);
      Poll.until(Duration.ofSeconds(30), "this JVM opened", () -> lowTraffic.state() == CircuitBreaker.State.OPEN);
      for (Child child : children) {
        Poll.until(Duration.ofSeconds(30), "the child opened", () -> child.ask("state low-traffic").equals("OPEN"));
        assertThat(child.ask("succeed low-traffic 1")).isEqualTo("0");
      }
      assertThat(redis.fleetState("low-traffic")).isEqualTo(FlushScript.OPEN);

      // An opening caused in one child reaches the other child and this JVM.
      CircuitBreaker fromChild = registry.circuitBreaker("from-child");
      assertThat(children.get(1).ask("state from-child")).isEqualTo("CLOSED");
      Poll.until(Duration.ofSeconds(20), "this JVM flushed the breaker", () -> here.loop().find("from-child").knownState() >= 0);
      assertThat(children.get(0).ask("fail from-child 10")).isEqualTo("10");
      Poll.until(Duration.ofSeconds(30), "this JVM opened", () -> fromChild.state() == CircuitBreaker.State.OPEN);
      Poll.until(Duration.ofSeconds(30), "the other child opened",
          () -> children.get(1).ask("state from-child").equals("OPEN"));
    } finally {
      children.forEach(Child::close);
    }
  }

  /**
   * Issue 18's fleet administration across processes: an override set in one child JVM holds the other
   * child and this JVM, each instance's state shows in {@link FleetControl#states}, a child restarted under
   * its id holds it from its first call, and a release from this JVM frees every one.
   */
  @Test
  void aFleetOverrideSetInOneJvmHoldsEveryJvm(RedisToUse.Target redis) throws IOException {
    List<Child> children = new ArrayList<>();
    try (RedisSharedState here = RedisSharedState.builder().uri(redis.uri()).keyPrefix(redis.prefix())
        .instanceId("parent").syncInterval(Duration.ofMillis(200)).build()) {
      for (int i = 1; i <= 2; i++) {
        children.add(new Child(redis.uri(), redis.prefix(), "child-" + i));
      }
      for (Child child : children) {
        assertThat(child.await()).isEqualTo("ready");
        assertThat(child.ask("state maintained")).isEqualTo("CLOSED");
      }
      CircuitBreaker mine = here.registry(SharedStateChild.CONFIG).circuitBreaker("maintained");

      assertThat(children.get(0).ask("force maintained INC-8 supplier down")).isEqualTo("child-1");

      Poll.until(Duration.ofSeconds(30), "this JVM is held", () -> mine.state() == CircuitBreaker.State.FORCED_OPEN);
      Poll.until(Duration.ofSeconds(30), "the other child is held",
          () -> children.get(1).ask("state maintained").equals("FORCED_OPEN"));
      assertThat(here.fleet().overrides().get("maintained").reason()).isEqualTo("INC-8 supplier down");
      Poll.until(Duration.ofSeconds(30), "every instance's state is in Redis", () -> here.fleet().states("maintained")
          .equals(java.util.Map.of("parent", CircuitBreaker.State.FORCED_OPEN, "child-1", CircuitBreaker.State.FORCED_OPEN,
              "child-2", CircuitBreaker.State.FORCED_OPEN)));

      // Restarted under its id: held before its first call.
      children.remove(1).close();
      Child restarted = new Child(redis.uri(), redis.prefix(), "child-2");
      children.add(restarted);
      assertThat(restarted.await()).isEqualTo("ready");
      assertThat(restarted.ask("state maintained")).isEqualTo("FORCED_OPEN");

      assertThat(here.fleet().release("maintained", "INC-8 resolved")).isTrue();
      Poll.until(Duration.ofSeconds(30), "this JVM follows the fleet again", () -> mine.state() == CircuitBreaker.State.CLOSED);
      for (Child child : children) {
        Poll.until(Duration.ofSeconds(30), "the child follows the fleet again",
            () -> child.ask("state maintained").equals("CLOSED"));
      }
    } finally {
      children.forEach(Child::close);
    }
  }
}
