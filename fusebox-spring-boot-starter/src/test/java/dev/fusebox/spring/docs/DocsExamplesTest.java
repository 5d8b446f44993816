package dev.fusebox.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerCustomizer;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerProperties;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Keeps docs/spring-boot.md true: its YAML is the file this test binds, its Java blocks are code this test
 * runs (between {@code tag::name[]} and {@code end::name[]}), each character for character.
 */
class DocsExamplesTest {

  private static final Path DOC = Path.of("..", "docs", "spring-boot.md");
  private static final Path YAML = Path.of("src", "test", "resources", "docs", "application.yml");

  private static ApplicationContextRunner withDocumentedYaml() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
        .withInitializer(context -> {
          try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("docs", new FileSystemResource(YAML))) {
              context.getEnvironment().getPropertySources().addFirst(source);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Test
  void theDocumentedYamlConfiguresWhatItSays() {
    withDocumentedYaml().run(context -> {
      CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
      CircuitBreakerConfig inventory = breakers.find("inventory").orElseThrow().config();
      assertThat(inventory.windowSize()).isEqualTo(50);
      assertThat(inventory.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(2));
      assertThat(inventory.openStateBackoffMax()).isEqualTo(Duration.ofMinutes(5));
      assertThat(inventory.recoveryRamp()).isEqualTo(Duration.ofSeconds(30));
      CircuitBreakerConfig payments = breakers.find("payments").orElseThrow().config();
      assertThat(payments.failureRateThreshold()).isEqualTo(20.0);
      assertThat(payments.consecutiveFailureThreshold()).isEqualTo(5);
      assertThat(payments.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(30));
      assertThat(payments.recordExceptions()).containsExactly(IOException.class, TimeoutException.class);
      assertThat(context.getBean(CircuitBreakerProperties.class).isCritical("payments")).isTrue();
      RetryConfig retry = context.getBean(RetryRegistry.class).find("inventory").orElseThrow().config();
      assertThat(retry.jitter()).isEqualTo(RetryConfig.Jitter.FULL);
      assertThat(retry.exponentialMaxWaitDuration()).isEqualTo(Duration.ofSeconds(2));
      assertThat(context.getBean(TimeLimiterRegistry.class).find("inventory").orElseThrow().config().timeoutDuration())
          .isEqualTo(Duration.ofSeconds(1));
    });
  }

  /** A fake client whose answers the test switches. */
  static final class FakeClient implements InventoryClient {
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public int fetch(String sku) {
      if (down.get()) {
        throw new UncheckedIOException(new IOException("inventory is down"));
      }
      return 7;
    }

    @Override
    public CompletionStage<Integer> fetchAsync(String sku) {
      return new CompletableFuture<>();   // never answers
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DocumentedBeans {
    @Bean
    FakeClient client() {
      return new FakeClient();
    }

    @Bean
    InventoryService inventoryService(InventoryClient client) {
      return new InventoryService(client);
    }

    // tag::customizer[]
    @Bean
    CircuitBreakerCustomizer slowInventoryIsAFailure() {
      return (name, builder) -> {
        if (name.equals("inventory")) {
          builder.recordResult(result -> result instanceof Integer stock && stock < 0);
        }
      };
    }
    // end::customizer[]
  }

  @Test
  void theDocumentedBeanFallsBackAsDescribed() {
    withDocumentedYaml()
        .withUserConfiguration(DocumentedBeans.class)
        .withPropertyValues(
            "fusebox.retry.instances.inventory.wait-duration=5ms",
            "fusebox.timelimiter.instances.inventory.timeout-duration=50ms")
        .run(context -> {
          InventoryService service = context.getBean(InventoryService.class);
          FakeClient client = context.getBean(FakeClient.class);
          assertThat(service.stock("sku-1")).isEqualTo(7);
          client.down.set(true);
          assertThat(service.stock("sku-1")).isEqualTo(7);    // retried, then the last known stock
          assertThat(service.stock("sku-2")).isEqualTo(-1);   // nothing known
          context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inventory").transitionToForcedOpenState();
          assertThat(service.stock("sku-2")).isEqualTo(0);    // open: the other overload
          context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inventory").reset();
          assertThat(service.stockAsync("sku-1").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(-1);
          assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inventory").config().recordResult())
              .isPresent();
        });
  }

  private static final Pattern JAVA = Pattern.compile("<!-- example: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern YAML_BLOCK = Pattern.compile("<!-- yaml: application -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TAGGED =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  @Test
  void everyExampleOfTheDocIsTestedCode() throws IOException {
    String doc = Files.readString(DOC);
    Matcher yaml = YAML_BLOCK.matcher(doc);
    assertThat(yaml.find()).as("the YAML example of docs/spring-boot.md").isTrue();
    assertThat(yaml.group(1).strip()).isEqualTo(Files.readString(YAML).strip());

    Map<String, String> tagged = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = TAGGED.matcher(Files.readString(file));
        while (m.find()) {
          tagged.put(m.group(1), dedent(m.group(2)));
        }
      }
    }
    Matcher java = JAVA.matcher(doc);
    int blocks = 0;
    while (java.find()) {
      blocks++;
      assertThat(tagged).as("a tested twin of example '%s'", java.group(1)).containsKey(java.group(1));
      assertThat(java.group(2).strip()).as("example '%s'", java.group(1)).isEqualTo(tagged.get(java.group(1)));
    }
    assertThat(blocks).isEqualTo(tagged.size());
    assertThat(doc.split("```java", -1).length - 1).as("Java blocks, each with its example marker").isEqualTo(blocks);
  }

  private static String dedent(String code) {
    int common = code.lines().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    code.lines().forEach(l -> out.append(l.isBlank() ? "" : l.substring(common)).append('\n'));
    return out.toString().strip();
  }
}
