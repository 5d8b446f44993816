package dev.fusebox.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The annotations on real beans: the pipeline's order, fallbacks, asynchronous methods, start-up checks. */
class AnnotationsTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
          .withPropertyValues(
              "fusebox.retry.configs.default.max-attempts=3",
              // Not zero: the core's asynchronous retry counts an attempt after scheduling the next one, so a
              // zero wait can let a fourth attempt start before the third is counted.
              "fusebox.retry.configs.default.wait-duration=5ms",
              "fusebox.circuitbreaker.configs.default.count-based-window=10",
              "fusebox.timelimiter.configs.default.timeout-duration=5s");

  /** The service under test. */
  static class Inventory {
    private final AtomicInteger calls = new AtomicInteger();

    /** Returns how often a method body ran; a method, since the bean is a proxy. */
    public int calls() {
      return calls.get();
    }

    @Bulkhead(name = "inventory")
    @TimeLimiter(name = "inventory")
    @RateLimiter(name = "inventory")
    @CircuitBreaker(name = "inventory")
    @Retry(name = "inventory")
    public String layered(String sku) throws IOException {
      calls.incrementAndGet();
      throw new IOException("down");
    }

    @Retry(name = "inside", order = dev.fusebox.pipeline.Pipeline.Order.RETRY_INSIDE_CIRCUIT_BREAKER)
    @CircuitBreaker(name = "inside")
    public String retriedInside() {
      calls.incrementAndGet();
      throw new IllegalStateException("down");
    }

    @CircuitBreaker(name = "typed", fallbackMethod = "byType")
    public String typed(String sku, Exception toThrow) throws Exception {
      throw toThrow;
    }

    String byType(String sku, Exception toThrow, Exception e) {
      return "exception";
    }

    String byType(String sku, Exception toThrow, IOException e) {
      return "io";
    }

    private String byType(String sku, Exception toThrow, FileNotFoundException e) {
      return "file-not-found";
    }

    @CircuitBreaker(name = "guarded", fallbackMethod = "rejected")
    public String guarded() {
      calls.incrementAndGet();
      return "live";
    }

    static String rejected(CallNotPermittedException e) {
      return "rejected by " + e.breakerName();
    }

    @Retry(name = "async", fallbackMethod = "cached")
    @CircuitBreaker(name = "async")
    public CompletionStage<String> async(String sku) {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new IOException("down"));
    }

    String cached(String sku, Throwable e) {
      return "cached " + sku;
    }

    @TimeLimiter(name = "slow", fallbackMethod = "late")
    public CompletableFuture<String> slow() {
      return new CompletableFuture<>();   // never completes
    }

    CompletableFuture<String> late(java.util.concurrent.TimeoutException e) {
      return CompletableFuture.completedFuture("timed out");
    }

    @Bulkhead(name = "single", fallbackMethod = "full")
    public CompletionStage<String> held(CompletableFuture<String> until) {
      return until;
    }

    String full(CompletableFuture<String> until, dev.fusebox.bulkhead.BulkheadFullException e) {
      return "full";
    }

    @Bulkhead(name = "learnt", type = Bulkhead.Type.ADAPTIVE, fallbackMethod = "full")
    public CompletionStage<String> heldAdaptively(CompletableFuture<String> until) {
      return until;
    }

    @CircuitBreaker(name = "chaotic", fallbackMethod = "chaosFallback")
    @Chaos(name = "chaotic")
    public String chaotic() {
      calls.incrementAndGet();
      return "real";
    }

    String chaosFallback(dev.fusebox.chaos.InjectedFaultException e) {
      return "injected";
    }

    @RateLimiter(name = "once", fallbackMethod = "limited")
    public String limitedCall() {
      return "allowed";
    }

    String limited(dev.fusebox.ratelimiter.RequestNotPermittedException e) {
      return "limited by " + e.rateLimiterName();
    }
  }

  /** Every public method is guarded by the class's annotation. */
  @CircuitBreaker(name = "classwide")
  static class Classwide {
    public String one() {
      throw new IllegalStateException("one");
    }

    public String two() {
      return "two";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    Inventory inventory() {
      return new Inventory();
    }

    @Bean
    Classwide classwide() {
      return new Classwide();
    }
  }

  @Test
  void appliesTheLayersInThePipelinesOrderWithEveryAttemptThroughTheBreaker() {
    runner.withUserConfiguration(Beans.class).run(context -> {
      List<String> events = new CopyOnWriteArrayList<>();
      context.getBean(RetryRegistry.class).retry("inventory").onEvent(e -> events.add("retry " + e.type()));
      context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inventory")
          .onEvent(e -> events.add("breaker " + e.type()));
      context.getBean(TimeLimiterRegistry.class).timeLimiter("inventory")
          .onEvent(e -> events.add("time " + e.type()));
      context.getBean(RateLimiterRegistry.class).rateLimiter("inventory")
          .onEvent(e -> events.add("rate " + e.type()));
      context.getBean(BulkheadRegistry.class).bulkhead("inventory")
          .onEvent(e -> events.add("bulkhead " + e.type()));
      Inventory inventory = context.getBean(Inventory.class);

      assertThatThrownBy(() -> inventory.layered("sku-1")).isInstanceOf(IOException.class).hasMessage("down");

      assertThat(inventory.calls()).isEqualTo(3);
      // Written in the reverse order, applied in the pipeline's: retry, breaker, rate, time, bulkhead, call.
      List<String> attempt = List.of(
          "rate SUCCESSFUL_ACQUIRE", "bulkhead CALL_PERMITTED", "bulkhead CALL_FINISHED", "time ERROR",
          "breaker ERROR");
      List<String> expected = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        expected.addAll(attempt);
        expected.add(i < 2 ? "retry RETRY" : "retry ERROR");
      }
      assertThat(events).containsExactlyElementsOf(expected);
    });
  }

  @Test
  void putsTheRetryInsideTheBreakerWhenAskedSoTheBreakerSeesOneOutcomePerCall() {
    runner.withUserConfiguration(Beans.class).run(context -> {
      Inventory inventory = context.getBean(Inventory.class);
      assertThatThrownBy(inventory::retriedInside).isInstanceOf(IllegalStateException.class);
      assertThat(inventory.calls()).isEqualTo(3);
      assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inside").metrics().totalFailedCalls())
          .isEqualTo(1);
    });
  }

  @Test
  void choosesTheFallbackOfTheMostSpecificExceptionType() {
    runner.withUserConfiguration(Beans.class).run(context -> {
      Inventory inventory = context.getBean(Inventory.class);
      assertThat(inventory.typed("a", new FileNotFoundException())).isEqualTo("file-not-found");
      assertThat(inventory.typed("a", new EOFException())).isEqualTo("io");
      assertThat(inventory.typed("a", new IllegalStateException())).isEqualTo("exception");
      assertThat(inventory.typed("a", new IOException())).isEqualTo("io");
    });
  }

  @Test
  void fallsBackWhenTheBreakerRejectsWithoutRunningTheMethod() {
    runner.withUserConfiguration(Beans.class).run(context -> {
      Inventory inventory = context.getBean(Inventory.class);
      assertThat(inventory.guarded()).isEqualTo("live");
      context.getBean(CircuitBreakerRegistry.class).circuitBreaker("guarded").transitionToForcedOpenState();
      assertThat(inventory.guarded()).isEqualTo("rejected by guarded");
      assertThat(inventory.calls()).isEqualTo(1);
    });
  }

  @Test
  void retriesACompletionStageWithoutBlockingAndFallsBackToAPlainValue() {
    runner.withUserConfiguration(Beans.class).run(context -> {
      Inventory inventory = context.getBean(Inventory.class);
      CompletionStage<String> stage = inventory.async("sku-9");
      assertThat(stage.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("cached sku-9");
      assertThat(inventory.calls()).isEqualTo(3);
      assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("async").metrics().totalFailedCalls())
          .isEqualTo(3);
    });
  }

  @Test
  void aFullBulkheadAndAnExhaustedRateLimiterFallBack() {
    runner.withUserConfiguration(Beans.class)
        .withPropertyValues(
            "fusebox.bulkhead.instances.single.max-concurrent-calls=1",
            "fusebox.ratelimiter.instances.once.limit-for-period=1",
            "fusebox.ratelimiter.instances.once.limit-refresh-period=1h")
        .run(context -> {
          Inventory inventory = context.getBean(Inventory.class);
          CompletableFuture<String> first = new CompletableFuture<>();
          CompletionStage<String> holding = inventory.held(first);
          assertThat(inventory.held(new CompletableFuture<>()).toCompletableFuture().get(5, TimeUnit.SECONDS))
              .isEqualTo("full");
          first.complete("done");
          assertThat(holding.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("done");
          assertThat(inventory.held(CompletableFuture.completedFuture("again")).toCompletableFuture()
              .get(5, TimeUnit.SECONDS)).isEqualTo("again");

          assertThat(inventory.limitedCall()).isEqualTo("allowed");
          assertThat(inventory.limitedCall()).isEqualTo("limited by once");
        });
  }

  @Test
  void anAdaptiveBulkheadGuardsTheMethodWithItsLearntLimit() {
    runner.withUserConfiguration(Beans.class)
        .withPropertyValues(
            "fusebox.adaptive-bulkhead.instances.learnt.initial-limit=1",
            "fusebox.adaptive-bulkhead.instances.learnt.min-limit=1",
            "fusebox.adaptive-bulkhead.instances.learnt.max-limit=1")
        .run(context -> {
          Inventory inventory = context.getBean(Inventory.class);
          CompletableFuture<String> first = new CompletableFuture<>();
          CompletionStage<String> holding = inventory.heldAdaptively(first);
          assertThat(inventory.heldAdaptively(new CompletableFuture<>()).toCompletableFuture().get(5, TimeUnit.SECONDS))
              .isEqualTo("full");
          first.complete("done");
          assertThat(holding.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("done");
          dev.fusebox.bulkhead.AdaptiveBulkhead.Metrics m =
              context.getBean(AdaptiveBulkheadRegistry.class).bulkhead("learnt").metrics();
          assertThat(m.totalPermittedCalls()).isEqualTo(1);
          assertThat(m.totalRejectedCalls()).isEqualTo(1);
          assertThat(m.concurrentCalls()).isZero();
          // The semaphore bulkhead of the same name was never involved.
          assertThat(context.getBean(BulkheadRegistry.class).find("learnt")).isEmpty();
        });
  }

  @Test
  void chaosInjectsFaultsInsideTheBreakerOnlyOnceARateIsSet() {
    runner.withUserConfiguration(Beans.class).run(context -> {
      Inventory inventory = context.getBean(Inventory.class);
      // No rate set: the call runs.
      assertThat(inventory.chaotic()).isEqualTo("real");
      assertThat(inventory.calls()).isEqualTo(1);
      // Turned on while the application runs, as the dashboard's controls do: every call fails without
      // running, the breaker records the injected failures as real ones, and the fallback answers.
      dev.fusebox.chaos.Chaos chaos = context.getBean(dev.fusebox.chaos.ChaosRegistry.class).chaos("chaotic");
      chaos.update(s -> s.withFaultRate(1.0));
      for (int i = 0; i < 3; i++) {
        assertThat(inventory.chaotic()).isEqualTo("injected");
      }
      assertThat(inventory.calls()).isEqualTo(1);
      assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("chaotic").metrics().totalFailedCalls())
          .isEqualTo(3);
      chaos.disable();
      assertThat(inventory.chaotic()).isEqualTo("real");
    });
    runner.withUserConfiguration(Beans.class)
        .withPropertyValues("fusebox.chaos.instances.chaotic.fault-rate=1")
        .run(context -> assertThat(context.getBean(Inventory.class).chaotic()).isEqualTo("injected"));
  }

  @Test
  void timesOutACompletableFutureAndKeepsItsType() {
    runner.withUserConfiguration(Beans.class)
        .withPropertyValues("fusebox.timelimiter.instances.slow.timeout-duration=50ms")
        .run(context -> {
          CompletableFuture<String> result = context.getBean(Inventory.class).slow();
          assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("timed out");
        });
  }

  @Test
  void anAnnotatedClassGuardsEachOfItsPublicMethods() {
    runner.withUserConfiguration(Beans.class).run(context -> {
      Classwide bean = context.getBean(Classwide.class);
      assertThat(AopUtils.isAopProxy(bean)).isTrue();
      assertThat(bean.two()).isEqualTo("two");
      assertThatThrownBy(bean::one).isInstanceOf(IllegalStateException.class);
      dev.fusebox.circuitbreaker.CircuitBreaker.Metrics m =
          context.getBean(CircuitBreakerRegistry.class).circuitBreaker("classwide").metrics();
      assertThat(m.totalSuccessfulCalls()).isEqualTo(1);
      assertThat(m.totalFailedCalls()).isEqualTo(1);
    });
  }

  @Test
  void createsTheNamedInstancesAtStartUp() {
    runner.withUserConfiguration(Beans.class).run(context ->
        assertThat(context.getBean(CircuitBreakerRegistry.class).find("classwide")).isPresent());
  }

  /** A service behind an interface, annotated on the implementation. */
  interface Catalog {
    String item(String id);
  }

  static class CatalogImpl implements Catalog {
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    @Retry(name = "catalog")
    public String item(String id) {
      calls.incrementAndGet();
      throw new IllegalStateException("catalog down");
    }

    public int calls() {
      return calls.get();
    }
  }

  /** Adds an advisor of its own, as a transaction manager would, counting the calls that pass through it. */
  static final class CountingPostProcessor
      extends org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger PASSED = new AtomicInteger();

    CountingPostProcessor() {
      setProxyTargetClass(true);
      this.advisor = new org.springframework.aop.support.DefaultPointcutAdvisor(
          new org.springframework.aop.support.annotation.AnnotationMatchingPointcut(null, Retry.class),
          (org.aopalliance.intercept.MethodInterceptor) invocation -> {
            PASSED.incrementAndGet();
            return invocation.proceed();
          });
    }
  }

  @Test
  void injectsAnAnnotatedBeanByItsClassDespiteItsInterface() {
    runner.withBean(CatalogImpl.class).run(context -> {
      assertThat(AopUtils.isCglibProxy(context.getBean(Catalog.class))).isTrue();
      assertThat(context.getBean(CatalogImpl.class)).isSameAs(context.getBean(Catalog.class));
    });
  }

  @Test
  void retriesThroughTheBeansOtherAdvisors() {
    runner.withBean(CatalogImpl.class)
        .withBean("counting", CountingPostProcessor.class, CountingPostProcessor::new)
        .run(context -> {
          CatalogImpl catalog = context.getBean(CatalogImpl.class);
          assertThat(context.getBean(Catalog.class)).isSameAs(catalog);
          CountingPostProcessor.PASSED.set(0);
          assertThatThrownBy(() -> catalog.item("a")).isInstanceOf(IllegalStateException.class);
          assertThat(catalog.calls()).isEqualTo(3);
          // The other advisor runs inside the retry: once per attempt, as a transaction must.
          assertThat(CountingPostProcessor.PASSED).hasValue(3);
        });
  }

  /** A fallback named but not declared. */
  static class Missing {
    @CircuitBreaker(name = "missing", fallbackMethod = "nowhere")
    public String call(String sku) {
      return sku;
    }
  }

  /** A fallback whose parameters differ from the method's. */
  static class Mismatched {
    @Retry(name = "mismatched", fallbackMethod = "other")
    public String call(String sku, int count) {
      return sku;
    }

    String other(String sku, long count, Exception e) {
      return sku;
    }

    String other(String sku, int count) {
      return sku;
    }
  }

  /** A fallback returning what the method cannot. */
  static class WrongReturn {
    @CircuitBreaker(name = "wrong", fallbackMethod = "other")
    public String call() {
      return "";
    }

    Integer other(Exception e) {
      return 0;
    }
  }

  /** A reactive method of a type without operators, which the annotations would guard only while assembled. */
  static class Reactive {
    @CircuitBreaker(name = "reactive")
    public org.reactivestreams.Publisher<String> call() {
      return reactor.core.publisher.Mono.just("");
    }
  }

  /** Two annotations naming different fallbacks. */
  static class TwoFallbacks {
    @Retry(name = "two", fallbackMethod = "a")
    @CircuitBreaker(name = "two", fallbackMethod = "b")
    public String call() {
      return "";
    }

    String a(Exception e) {
      return "";
    }

    String b(Exception e) {
      return "";
    }
  }

  @Test
  void failsStartUpWhenTheFallbackDoesNotExist() {
    runner.withBean("missing", Missing.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessage(
          "Invalid Fusebox configuration: bean 'missing': fallbackMethod 'nowhere' of"
              + " dev.fusebox.spring.annotation.AnnotationsTest$Missing.call(String) does not exist in"
              + " dev.fusebox.spring.annotation.AnnotationsTest$Missing or its superclasses; expected"
              + " java.lang.String nowhere(String, Throwable or a subtype)");
    });
  }

  @Test
  void failsStartUpWhenTheFallbackDoesNotMatch() {
    runner.withBean("mismatched", Mismatched.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("fallbackMethod 'other' of dev.fusebox.spring.annotation.AnnotationsTest$Mismatched"
              + ".call(String, int) does not match: expected java.lang.String other(String, int, Throwable or a"
              + " subtype), found ")
          .hasMessageContaining("java.lang.String other(String, long, Exception)")
          .hasMessageContaining("java.lang.String other(String, int)");
    });
    runner.withBean("wrong", WrongReturn.class).run(context ->
        assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("does not match: expected java.lang.String other(Throwable or a subtype), found"
                + " java.lang.Integer other(Exception)"));
  }

  @Test
  void failsStartUpForAReactiveMethodRatherThanGuardItsAssembly() {
    runner.withBean("reactive", Reactive.class).run(context ->
        assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("AnnotationsTest$Reactive.call returns org.reactivestreams.Publisher, which the"
                + " annotations do not support")
            .hasMessageContaining("declare Mono or Flux"));
  }

  @Test
  void failsStartUpWhenTwoAnnotationsNameDifferentFallbacks() {
    runner.withBean("two", TwoFallbacks.class).run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("names several fallback methods [b, a]"));
  }
}
