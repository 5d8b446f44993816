package dev.fusebox.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Job;
import org.reactivestreams.Publisher;
import org.springframework.core.CoroutinesUtils;

/**
 * Calls a suspend fallback as Spring calls the suspend function it stands for: as a publisher, in the
 * caller's coroutine context. Apart from {@link ReactorPlan}, so that only a suspend function loads Kotlin.
 */
final class SuspendingCalls {

  private SuspendingCalls() {}

  /**
   * Calls {@code fallback} with the call's arguments, whose last is the caller's continuation, and the
   * failure in that continuation's place; a Mono of its result, or a Flux if it returns a Flow.
   */
  static Publisher<?> invoke(Method fallback, Object target, Object[] args, Throwable failure) {
    Continuation<?> caller = (Continuation<?>) args[args.length - 1];
    Object[] withFailure = Arrays.copyOf(args, args.length);
    withFailure[args.length - 1] = failure;
    // The caller's context keeps its dispatcher and elements; its Job is left out, as Spring's proxy does,
    // since the subscription (not the caller's Job) decides when the fallback is cancelled.
    CoroutineContext context = caller.getContext().minusKey(Job.Key);
    return CoroutinesUtils.invokeSuspendingFunction(
        context, fallback, Modifier.isStatic(fallback.getModifiers()) ? null : target, withFailure);
  }
}
