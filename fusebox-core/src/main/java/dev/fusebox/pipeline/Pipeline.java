package dev.fusebox.pipeline;

import dev.fusebox.Policy;
import dev.fusebox.bulkhead.AdaptiveBulkhead;
import dev.fusebox.bulkhead.Bulkhead;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.fallback.Fallback;
import dev.fusebox.ratelimiter.RateLimiter;
import dev.fusebox.retry.Retry;
import dev.fusebox.throttle.AdaptiveThrottle;
import dev.fusebox.timelimiter.TimeLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Stacks resilience policies around a call in one documented order, so that nobody has to work out by
 * hand which policy must wrap which.
 *
 * <p>The standard order, from the outside in:
 *
 * <ol>
 *   <li>{@link Fallback} — answers last, when everything inside failed or rejected the call;
 *   <li>{@link Retry} — tries again; each attempt goes through everything below;
 *   <li>{@link CircuitBreaker} — sees every attempt, and rejects at once while the dependency is down (a
 *       retry never retries a rejection);
 *   <li>{@link AdaptiveThrottle} — like the rate limiter, judges each attempt the breaker let through, and
 *       sheds a share of them while the dependency accepts too few; it comes before the rate limiter so
 *       that a shed attempt spends no permit, and the limiter's and the bulkhead's refusals below it count
 *       for nothing in it;
 *   <li>{@link RateLimiter} — spends a permit per attempt that the breaker let through;
 *   <li>{@link TimeLimiter} — bounds each attempt;
 *   <li>{@link Bulkhead} or {@link AdaptiveBulkhead} — holds a slot only while the call runs;
 *   <li>policies of your own ({@link Builder#policy(Policy)}), in the order they were added, the first
 *       outermost;
 *   <li>{@link Chaos} — when present, misbehaves like the dependency would, so every layer above reacts
 *       to it as to the real thing;
 *   <li>the call.
 * </ol>
 *
 * <p>With {@link Order#RETRY_INSIDE_CIRCUIT_BREAKER} the retry moves inside the breaker: the breaker then
 * records one outcome per user call (the retry's final one) instead of one per attempt, so transient
 * errors that a retry absorbs never count against the dependency. With {@link Order#AS_ADDED} the
 * policies wrap the call in the order the builder received them, the first outermost, for stacks the
 * standard order does not describe. Every layer is optional.
 *
 * <pre>{@code
 * Pipeline<Quote> pipeline = Pipeline.<Quote>builder("quotes")
 *     .fallback(lastKnownGood)
 *     .retry(retry)
 *     .circuitBreaker(breaker)
 *     .timeLimiter(timeLimiter)
 *     .bulkhead(bulkhead)
 *     .build();
 *
 * Quote quote = pipeline.executeSupplier(() -> quotes.fetch(symbol));
 * Supplier<Quote> guarded = pipeline.decorateSupplier(() -> quotes.fetch(symbol)); // decorate once
 * }</pre>
 *
 * <p>The {@code decorate} methods build the stack once; calling the result allocates nothing of the
 * pipeline's. The {@code execute} methods build it for each call, which is convenient and costs one small
 * object per layer. A pipeline is immutable and threadsafe; its policies keep their own state.
 *
 * @param <T> the type of the calls' results, which a fallback must be able to produce
 */
public final class Pipeline<T> {

  /** Where the retry sits relative to the circuit breaker. */
  public enum Order {
    /** Retry outside the breaker: the breaker sees every attempt. */
    STANDARD,
    /** Retry inside the breaker: the breaker sees one outcome per call, after the retries. */
    RETRY_INSIDE_CIRCUIT_BREAKER,
    /** Every policy below the fallback in the order the builder received it, the first outermost. */
    AS_ADDED
  }

  private final String name;
  private final Order order;
  private final Fallback<T> fallback;
  /** The policies below the fallback, outermost first. */
  private final List<Policy> layers;

  private Pipeline(Builder<T> b) {
    this.name = b.name;
    this.order = b.order;
    this.fallback = b.fallback;
    List<Policy> stack = new ArrayList<>();
    if (order == Order.AS_ADDED) {
      stack.addAll(b.added);
    } else {
      if (order == Order.STANDARD) {
        add(stack, b.retry);
        add(stack, b.circuitBreaker);
      } else {
        add(stack, b.circuitBreaker);
        add(stack, b.retry);
      }
      add(stack, b.adaptiveThrottle);
      add(stack, b.rateLimiter);
      add(stack, b.timeLimiter);
      add(stack, b.bulkhead);
      stack.addAll(b.custom);
      add(stack, b.chaos);
    }
    this.layers = List.copyOf(stack);
  }

  private static void add(List<Policy> stack, Policy layer) {
    if (layer != null) {
      stack.add(layer);
    }
  }

  /**
   * Starts a pipeline whose calls return {@code T}.
   *
   * @param <T> the type of the calls' results
   * @param name identifies the pipeline in its layers' descriptions
   * @return a builder with no policy yet
   */
  public static <T> Builder<T> builder(String name) {
    return new Builder<>(name);
  }

  /**
   * Returns the pipeline's name.
   *
   * @return the pipeline's name
   */
  public String name() {
    return name;
  }

  /**
   * Returns where the retry sits.
   *
   * @return where the retry sits
   */
  public Order order() {
    return order;
  }

  /**
   * Describes the stack from the outside in, one entry per policy, for instance
   * {@code [fallback 'quotes', retry 'quotes', circuitBreaker 'quotes']}.
   *
   * @return one description per policy, outermost first
   */
  public List<String> layers() {
    List<String> names = new ArrayList<>();
    if (fallback != null) {
      names.add("fallback '" + fallback.name() + "'");
    }
    layers.forEach(layer -> names.add(kindOf(layer) + " '" + layer.name() + "'"));
    return List.copyOf(names);
  }

  /**
   * Runs the call through the whole stack.
   *
   * @param supplier the call
   * @return the call's result, or the fallback's answer
   */
  public T executeSupplier(Supplier<? extends T> supplier) {
    return decorateSupplier(supplier).get();
  }

  /**
   * Runs the call through the whole stack; the call's own checked exceptions propagate unchanged.
   *
   * @param callable the call
   * @return the call's result, or the fallback's answer
   * @throws Exception the call's own checked exception, when nothing answers for it
   */
  public T executeCallable(Callable<? extends T> callable) throws Exception {
    return decorateCallable(callable).call();
  }

  /**
   * Runs the call through the whole stack, discarding any fallback value.
   *
   * @param runnable the call
   */
  public void executeRunnable(Runnable runnable) {
    decorateRunnable(runnable).run();
  }

  /**
   * Starts the asynchronous call through the whole stack; failures come back in the stage.
   *
   * @param supplier starts the call and returns its stage
   * @return a stage completing with the call's result, the fallback's answer, or the failure
   */
  public CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<? extends T>> supplier) {
    return decorateCompletionStage(supplier).get();
  }

  /**
   * Returns a supplier that runs {@code supplier} through the stack on each call.
   *
   * @param supplier the call to guard
   * @return a supplier that runs {@code supplier} through the stack on each call
   */
  @SuppressWarnings("unchecked")
  public Supplier<T> decorateSupplier(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Supplier<T> call = (Supplier<T>) supplier;
    for (int i = layers.size() - 1; i >= 0; i--) {
      call = layers.get(i).decorateSupplier(call);
    }
    return fallback != null ? fallback.decorateSupplier(call) : call;
  }

  /**
   * Returns a callable that runs {@code callable} through the stack on each call.
   *
   * @param callable the call to guard
   * @return a callable that runs {@code callable} through the stack on each call
   */
  @SuppressWarnings("unchecked")
  public Callable<T> decorateCallable(Callable<? extends T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    Callable<T> call = (Callable<T>) callable;
    for (int i = layers.size() - 1; i >= 0; i--) {
      call = layers.get(i).decorateCallable(call);
    }
    return fallback != null ? fallback.decorateCallable(call) : call;
  }

  /**
   * Returns a runnable that runs {@code runnable} through the stack on each call.
   *
   * @param runnable the call to guard
   * @return a runnable that runs {@code runnable} through the stack on each call
   */
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    Supplier<T> call =
        decorateSupplier(
            () -> {
              runnable.run();
              return null;
            });
    return call::get;
  }

  /**
   * Returns a function that applies {@code function} through the stack on each call.
   *
   * @param <A> the type of the function's argument
   * @param function the call to guard
   * @return a function that applies {@code function} through the stack on each call
   */
  @SuppressWarnings("unchecked")
  public <A> Function<A, T> decorateFunction(Function<? super A, ? extends T> function) {
    Objects.requireNonNull(function, "function must not be null");
    Function<A, T> call = (Function<A, T>) function;
    for (int i = layers.size() - 1; i >= 0; i--) {
      call = layers.get(i).decorateFunction(call);
    }
    return fallback != null ? fallback.decorateFunction(call) : call;
  }

  /**
   * Returns a supplier that starts each asynchronous call through the stack.
   *
   * @param supplier starts each call and returns its stage
   * @return a supplier that starts each asynchronous call through the stack
   */
  @SuppressWarnings("unchecked")
  public Supplier<CompletionStage<T>> decorateCompletionStage(
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Supplier<CompletionStage<T>> call = (Supplier<CompletionStage<T>>) (Supplier<?>) supplier;
    for (int i = layers.size() - 1; i >= 0; i--) {
      call = layers.get(i).decorateCompletionStage(call);
    }
    return fallback != null ? fallback.decorateCompletionStage(call) : call;
  }

  /**
   * Returns the fallback that answers for the whole stack, if the pipeline has one.
   *
   * @return the fallback that answers for the whole stack, if the pipeline has one
   */
  public Optional<Fallback<T>> fallback() {
    return Optional.ofNullable(fallback);
  }

  /**
   * Returns the policies below the fallback, outermost first.
   *
   * @return the policies below the fallback, outermost first
   */
  public List<Policy> policies() {
    return layers;
  }

  @Override
  public String toString() {
    return "Pipeline[" + name + ", " + layers() + "]";
  }

  private static String kindOf(Policy policy) {
    if (policy instanceof Retry) {
      return "retry";
    } else if (policy instanceof CircuitBreaker) {
      return "circuitBreaker";
    } else if (policy instanceof AdaptiveThrottle) {
      return "adaptiveThrottle";
    } else if (policy instanceof RateLimiter) {
      return "rateLimiter";
    } else if (policy instanceof TimeLimiter) {
      return "timeLimiter";
    } else if (policy instanceof Bulkhead) {
      return "bulkhead";
    } else if (policy instanceof AdaptiveBulkhead) {
      return "adaptiveBulkhead";
    } else if (policy instanceof Chaos) {
      return "chaos";
    }
    return "policy";
  }

  /**
   * Builds a {@link Pipeline}. Each policy may be given at most once; the order in which the builder
   * receives them matters only with {@link Order#AS_ADDED}. Not threadsafe.
   *
   * @param <T> the type of the calls' results
   */
  public static final class Builder<T> {
    private final String name;
    private Order order = Order.STANDARD;
    private Fallback<T> fallback;
    private Policy retry;
    private Policy circuitBreaker;
    private Policy adaptiveThrottle;
    private Policy rateLimiter;
    private Policy timeLimiter;
    private Policy bulkhead;
    private Policy chaos;
    private final List<Policy> custom = new ArrayList<>();
    /** Every policy in the order received, for {@link Order#AS_ADDED}. */
    private final List<Policy> added = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name must not be null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
      }
    }

    /**
     * Puts the retry inside or outside the breaker; {@link Order#STANDARD} by default.
     *
     * @param order where the retry sits
     * @return this builder
     */
    public Builder<T> order(Order order) {
      this.order = Objects.requireNonNull(order, "order must not be null");
      return this;
    }

    /**
     * The outermost layer: answers when the calls below fail or are rejected.
     *
     * @param fallback the fallback
     * @return this builder
     */
    public Builder<T> fallback(Fallback<T> fallback) {
      Objects.requireNonNull(fallback, "fallback must not be null");
      if (this.fallback != null) {
        throw new IllegalStateException("a pipeline has at most one fallback; it was already set");
      }
      this.fallback = fallback;
      return this;
    }

    /**
     * Tries again; see {@link Order}.
     *
     * @param retry the retry
     * @return this builder
     */
    public Builder<T> retry(Retry retry) {
      this.retry = once("retry", this.retry, retry);
      return this;
    }

    /**
     * Opens when the dependency fails too often; see {@link Order}.
     *
     * @param circuitBreaker the breaker
     * @return this builder
     */
    public Builder<T> circuitBreaker(CircuitBreaker circuitBreaker) {
      this.circuitBreaker = once("circuitBreaker", this.circuitBreaker, circuitBreaker);
      return this;
    }

    /**
     * Sheds a share of the attempts the breaker lets through while the dependency accepts too few.
     *
     * @param adaptiveThrottle the throttle
     * @return this builder
     */
    public Builder<T> adaptiveThrottle(AdaptiveThrottle adaptiveThrottle) {
      this.adaptiveThrottle = once("adaptiveThrottle", this.adaptiveThrottle, adaptiveThrottle);
      return this;
    }

    /**
     * Spends a permit per attempt.
     *
     * @param rateLimiter the rate limiter
     * @return this builder
     */
    public Builder<T> rateLimiter(RateLimiter rateLimiter) {
      this.rateLimiter = once("rateLimiter", this.rateLimiter, rateLimiter);
      return this;
    }

    /**
     * Bounds each attempt.
     *
     * @param timeLimiter the time limiter
     * @return this builder
     */
    public Builder<T> timeLimiter(TimeLimiter timeLimiter) {
      this.timeLimiter = once("timeLimiter", this.timeLimiter, timeLimiter);
      return this;
    }

    /**
     * Holds a slot while the call runs; a pipeline has one bulkhead, fixed or adaptive.
     *
     * @param bulkhead the bulkhead
     * @return this builder
     */
    public Builder<T> bulkhead(Bulkhead bulkhead) {
      Objects.requireNonNull(bulkhead, "bulkhead must not be null");
      this.bulkhead = once("bulkhead", this.bulkhead, bulkhead);
      return this;
    }

    /**
     * Holds a slot while the call runs, within a limit learnt from latency.
     *
     * @param bulkhead the adaptive bulkhead
     * @return this builder
     */
    public Builder<T> adaptiveBulkhead(AdaptiveBulkhead bulkhead) {
      Objects.requireNonNull(bulkhead, "adaptiveBulkhead must not be null");
      this.bulkhead = once("bulkhead", this.bulkhead, bulkhead);
      return this;
    }

    /**
     * Injects faults right around the call, for tests and game days.
     *
     * @param chaos the chaos policy
     * @return this builder
     */
    public Builder<T> chaos(Chaos chaos) {
      this.chaos = once("chaos", this.chaos, chaos);
      return this;
    }

    /**
     * Adds a policy: one of Fusebox's takes its place in the standard order as if given to its own method
     * ({@link #retry}, {@link #circuitBreaker}, ...); any other policy wraps the call inside the bulkhead
     * and outside chaos, after the policies of its kind added before it. With {@link Order#AS_ADDED} every
     * policy wraps in the order added instead.
     *
     * @param policy the policy, Fusebox's or an application's
     * @return this builder
     */
    public Builder<T> policy(Policy policy) {
      Objects.requireNonNull(policy, "policy must not be null");
      if (policy instanceof Retry retry) {
        return retry(retry);
      } else if (policy instanceof CircuitBreaker breaker) {
        return circuitBreaker(breaker);
      } else if (policy instanceof AdaptiveThrottle throttle) {
        return adaptiveThrottle(throttle);
      } else if (policy instanceof RateLimiter limiter) {
        return rateLimiter(limiter);
      } else if (policy instanceof TimeLimiter limiter) {
        return timeLimiter(limiter);
      } else if (policy instanceof Bulkhead bulkhead) {
        return bulkhead(bulkhead);
      } else if (policy instanceof AdaptiveBulkhead bulkhead) {
        return adaptiveBulkhead(bulkhead);
      } else if (policy instanceof Chaos chaos) {
        return chaos(chaos);
      }
      if (custom.contains(policy)) {
        throw new IllegalStateException("the policy '" + policy.name() + "' was already added to this pipeline");
      }
      custom.add(policy);
      added.add(policy);
      return this;
    }

    private <L extends Policy> L once(String option, L current, L value) {
      Objects.requireNonNull(value, option + " must not be null");
      if (current != null) {
        throw new IllegalStateException("a pipeline has at most one " + option + "; it was already set");
      }
      added.add(value);
      return value;
    }

    /**
     * Builds the pipeline.
     *
     * @return the pipeline
     */
    public Pipeline<T> build() {
      return new Pipeline<>(this);
    }
  }
}
