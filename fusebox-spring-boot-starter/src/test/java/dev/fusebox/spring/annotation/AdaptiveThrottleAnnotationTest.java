package dev.fusebox.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.spring.throttle.AdaptiveThrottleCustomizer;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import dev.fusebox.throttle.CallThrottledException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code @AdaptiveThrottle} on a real bean: calls the dependency refuses make the throttle shed calls locally,
 * without running the method, and a fallback answers those; asynchronous methods too.
 */
class AdaptiveThrottleAnnotationTest {

  /** The random source draws 0 every time: a call is shed as soon as the rejection probability is above 0. */
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
          .withPropertyValues(
              "fusebox.adaptive-throttle.configs.default.k=2",
              "fusebox.adaptive-throttle.configs.default.minimum-number-of-requests=1")
          .withUserConfiguration(Beans.class);

  /** The service under test: its dependency refuses every call. */
  static class Search {
    private final AtomicInteger calls = new AtomicInteger();

    public int calls() {
      return calls.get();
    }

    @AdaptiveThrottle(name = "search")
    public String search(String terms) {
      calls.incrementAndGet();
      throw new IllegalStateException("overloaded");
    }

    @AdaptiveThrottle(name = "shed", fallbackMethod = "cached")
    public String withFallback(String terms) {
      calls.incrementAndGet();
      throw new IllegalStateException("overloaded");
    }

    String cached(String terms, CallThrottledException e) {
      return "cached " + terms;
    }

    String cached(String terms, IllegalStateException e) {
      return "refused " + terms;
    }

    @AdaptiveThrottle(name = "async")
    public CompletionStage<String> searchAsync(String terms) {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("overloaded"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    Search search() {
      return new Search();
    }

    @Bean
    AdaptiveThrottleCustomizer alwaysDrawZero() {
      return (name, builder) -> builder.random(() -> 0L);
    }
  }

  @Test
  void callsTheDependencyRefusesMakeTheThrottleShedCallsWithoutRunningTheMethod() {
    runner.run(context -> {
      Search search = context.getBean(Search.class);
      assertThatThrownBy(() -> search.search("a")).isInstanceOf(IllegalStateException.class).hasMessage("overloaded");
      assertThat(search.calls()).isEqualTo(1);

      // One request, none accepted: (1 - 2 * 0) / (1 + 1) = 0.5 > 0, and the draw is 0.
      assertThatThrownBy(() -> search.search("b")).isInstanceOf(CallThrottledException.class);
      assertThat(search.calls()).as("a shed call never runs").isEqualTo(1);
      assertThat(context.getBean(AdaptiveThrottleRegistry.class).find("search")).isPresent();
    });
  }

  @Test
  void aFallbackAnswersTheShedCalls() {
    runner.run(context -> {
      Search search = context.getBean(Search.class);
      assertThat(search.withFallback("x")).isEqualTo("refused x");
      assertThat(search.withFallback("y")).isEqualTo("cached y");
      assertThat(search.calls()).isEqualTo(1);
    });
  }

  @Test
  void anAsynchronousMethodIsThrottledToo() {
    runner.run(context -> {
      Search search = context.getBean(Search.class);
      assertThatThrownBy(() -> search.searchAsync("a").toCompletableFuture().get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> search.searchAsync("b").toCompletableFuture().get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(CallThrottledException.class);
      assertThat(search.calls()).isEqualTo(1);
    });
  }
}
