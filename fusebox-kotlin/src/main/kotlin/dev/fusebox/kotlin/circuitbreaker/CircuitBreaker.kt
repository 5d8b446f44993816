package dev.fusebox.kotlin.circuitbreaker

import dev.fusebox.Ticker
import dev.fusebox.circuitbreaker.CallNotPermittedException
import dev.fusebox.circuitbreaker.CircuitBreaker
import dev.fusebox.kotlin.Ending
import dev.fusebox.kotlin.emitAllReporting
import dev.fusebox.kotlin.isCancellation
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Runs [block] through this breaker: a rejected call throws the breaker's [CallNotPermittedException]
 * without running; otherwise the block's result or exception is recorded and handed back unchanged.
 *
 * The result is judged by the configuration's `recordResult`; a block returning `Unit` is a success the
 * predicate never sees. Cancelling the calling coroutine while the block runs gives the permit back
 * without recording anything. The duration, for slow-call detection, is read from the breaker's ticker.
 * Nothing blocks: the block suspends as it likes.
 *
 * ```kotlin
 * val quote: Quote = breaker.executeSuspendFunction { client.quote(order) }
 * ```
 */
public suspend fun <T> CircuitBreaker.executeSuspendFunction(block: suspend () -> T): T {
    val permit = tryAcquirePermit() ?: throw rejection(this)
    val ticker = tickerIfTimed(this)
    val start = ticker?.nanos() ?: 0L
    val result = try {
        block()
    } catch (e: Throwable) {
        if (isCancellation(e)) permit.release() else permit.onError(elapsed(ticker, start), e)
        throw e
    }
    if (result === Unit) permit.onSuccess(elapsed(ticker, start)) else permit.onResult(elapsed(ticker, start), result)
    return result
}

/**
 * Guards each collection of this flow with [circuitBreaker]: the permit is taken when collection starts,
 * and a rejected collection throws [CallNotPermittedException] without collecting the source.
 *
 * A collection is one call, recorded once when it ends: completion is a success, an exception of the
 * source is judged like any exception. Elements are not judged by `recordResult`. Cancellation, and a
 * downstream that stops early (`take`, `first`) or throws, give the permit back without recording.
 *
 * ```kotlin
 * val prices: Flow<Price> = client.prices(sku).circuitBreaker(breaker)
 * ```
 */
public fun <T> Flow<T>.circuitBreaker(circuitBreaker: CircuitBreaker): Flow<T> {
    val source = this
    return flow {
        val permit = circuitBreaker.tryAcquirePermit() ?: throw rejection(circuitBreaker)
        val ticker = tickerIfTimed(circuitBreaker)
        val start = ticker?.nanos() ?: 0L
        emitAllReporting(source) { ending, error ->
            when (ending) {
                Ending.COMPLETED -> permit.onSuccess(elapsed(ticker, start))
                Ending.FAILED -> permit.onError(elapsed(ticker, start), error!!)
                Ending.CANCELLED, Ending.DOWNSTREAM -> permit.release()
            }
        }
    }
}

/** The breaker's ticker when it detects slow calls, else null: the ticker is read only when needed. */
private fun tickerIfTimed(breaker: CircuitBreaker): Ticker? =
    if (breaker.config().slowCallDetection()) breaker.config().ticker() else null

private fun elapsed(ticker: Ticker?, start: Long): Long = if (ticker == null) 0L else ticker.nanos() - start

/**
 * The breaker does not hand its own rejection out with a refused permit, so one is made like it: the same
 * name and state and, for an open breaker, the time until its next trial.
 */
private fun rejection(breaker: CircuitBreaker): CallNotPermittedException {
    val state = breaker.state()
    val retryAfter = if (state == CircuitBreaker.State.OPEN) breaker.metrics().nextTrialIn().orElse(null) else null
    return CallNotPermittedException.of(breaker.name(), state, retryAfter)
}
