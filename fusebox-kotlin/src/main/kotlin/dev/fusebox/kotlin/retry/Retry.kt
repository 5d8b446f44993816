package dev.fusebox.kotlin.retry

import dev.fusebox.kotlin.Ending
import dev.fusebox.kotlin.emitAllReporting
import dev.fusebox.kotlin.isCancellation
import dev.fusebox.retry.Retry
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Runs [block] through this retry: a failed attempt is retried as the configuration says (which
 * exceptions and results, backoff, `Retry-After` hints, `maxDuration`, the budget), waiting with [delay]
 * so that no thread is held, and the call ends with the last attempt's result or exception, the same
 * instance, earlier failures attached as suppressed. A breaker's rejection is never retried.
 *
 * The result is judged by `retryOnResult`; a block returning `Unit` is a success the predicate never
 * sees. Cancelling the calling coroutine, during an attempt or a wait, ends the call at once and counts
 * it in none of the retry's call counts. Counts and events are those of the retry's other forms.
 *
 * ```kotlin
 * val quote: Quote = retry.executeSuspendFunction { client.quote(order) }
 * ```
 */
public suspend fun <T> Retry.executeSuspendFunction(block: suspend () -> T): T {
    val context = context()
    while (true) {
        var failure: Throwable? = null
        var result: T? = null
        try {
            result = block()
        } catch (e: Throwable) {
            if (isCancellation(e)) throw e
            failure = e
        }
        val wait = if (failure != null) {
            context.onError(failure)
        } else if (result === Unit) {
            context.onSuccess()
            Retry.Context.STOP
        } else {
            context.onResult(result)
        }
        if (wait == Retry.Context.STOP) {
            context.failure()?.let { throw it }
            @Suppress("UNCHECKED_CAST")
            return result as T
        }
        delay(wait.nanoseconds)
    }
}

/**
 * Collects this flow again when a collection fails, as [retry] decides, waiting with [delay] in between;
 * each collection of the returned flow is one call of the retry.
 *
 * Elements are not judged by `retryOnResult`: a collection's outcome is how it ends. Elements emitted
 * before a failure have been delivered, and the next attempt's elements follow them. A downstream that
 * stops early (`take`, `first`) or throws, and cancellation, end the call without retrying and count
 * nothing. Unlike the `retry(retries)` operator of kotlinx.coroutines, every rule of the [Retry] applies.
 *
 * ```kotlin
 * val prices: Flow<Price> = client.prices(sku).retry(retry)
 * ```
 */
public fun <T> Flow<T>.retry(retry: Retry): Flow<T> {
    val source = this
    return flow {
        val context = retry.context()
        while (true) {
            var failure: Throwable? = null
            try {
                emitAllReporting(source) { ending, error ->
                    when (ending) {
                        Ending.COMPLETED -> context.onSuccess()
                        Ending.FAILED -> failure = error
                        Ending.CANCELLED, Ending.DOWNSTREAM -> Unit
                    }
                }
                return@flow
            } catch (e: Throwable) {
                if (e !== failure) throw e
            }
            val wait = context.onError(failure!!)
            if (wait == Retry.Context.STOP) throw context.failure()!!
            delay(wait.nanoseconds)
        }
    }
}
