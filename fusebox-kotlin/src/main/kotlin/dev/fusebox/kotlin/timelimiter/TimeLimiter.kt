package dev.fusebox.kotlin.timelimiter

import dev.fusebox.kotlin.Ending
import dev.fusebox.kotlin.emitAllReporting
import dev.fusebox.kotlin.isCancellation
import dev.fusebox.timelimiter.TimeLimiter
import java.util.concurrent.TimeoutException
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withTimeoutOrNull

/**
 * Runs [block] under this limiter's `timeoutDuration`: when the time runs out first, the block is
 * cancelled and the call throws the limiter's [TimeoutException] (not a `CancellationException`, so the
 * caller's coroutine goes on and a breaker around it records a failure). The block's own result or
 * exception comes back unchanged. Each call counts once in the limiter's metrics and events; a call whose
 * coroutine is cancelled counts nothing. The time is the coroutine's: virtual in `runTest`.
 *
 * ```kotlin
 * val hits: Hits = limiter.executeSuspendFunction { search.query(terms) }
 * ```
 */
public suspend fun <T> TimeLimiter.executeSuspendFunction(block: suspend () -> T): T {
    val outcome = withTimeoutOrNull(config().timeoutDuration().toKotlinDuration()) {
        try {
            Outcome.Value(block())
        } catch (e: Throwable) {
            Outcome.Error(e)
        }
    } ?: throw onTimeout(true)
    return when (outcome) {
        is Outcome.Value -> {
            onSuccess()
            outcome.value
        }
        is Outcome.Error -> {
            if (!isCancellation(outcome.error)) onError(outcome.error)
            throw outcome.error
        }
    }
}

/**
 * Bounds each collection of this flow by [timeLimiter]'s `timeoutDuration`, from its start to its end:
 * the whole stream, not the gap between two elements. When the time runs out first, the source is
 * cancelled and the collection throws the limiter's [TimeoutException].
 *
 * ```kotlin
 * val hits: Flow<Hit> = search.stream(terms).timeLimiter(limiter)
 * ```
 */
public fun <T> Flow<T>.timeLimiter(timeLimiter: TimeLimiter): Flow<T> {
    val source = this
    return flow {
        var ending = Ending.COMPLETED
        val outcome = withTimeoutOrNull(timeLimiter.config().timeoutDuration().toKotlinDuration()) {
            try {
                emitAllReporting(source) { how, _ -> ending = how }
                Outcome.Value(Unit)
            } catch (e: Throwable) {
                Outcome.Error(e)
            }
        } ?: throw timeLimiter.onTimeout(true)
        if (outcome is Outcome.Error) {
            if (ending == Ending.FAILED) timeLimiter.onError(outcome.error)
            throw outcome.error
        }
        timeLimiter.onSuccess()
    }
}

/**
 * What the call did in time, carried out of `withTimeoutOrNull` as a value: `null` then means a time-out
 * whatever `T` is, and an exception crosses the scope unchanged (coroutine stack-trace recovery would
 * otherwise hand the caller a copy).
 */
private sealed class Outcome<out T> {
    class Value<T>(val value: T) : Outcome<T>()
    class Error(val error: Throwable) : Outcome<Nothing>()
}
