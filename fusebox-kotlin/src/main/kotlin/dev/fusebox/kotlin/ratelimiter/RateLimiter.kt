package dev.fusebox.kotlin.ratelimiter

import dev.fusebox.ratelimiter.RateLimiter
import dev.fusebox.ratelimiter.RequestNotPermittedException
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow

/**
 * Runs [block] once this limiter grants a permit: at once when one is free; after a [delay], holding no
 * thread, when one is due within the limiter's `timeoutDuration`; otherwise the call throws
 * [RequestNotPermittedException] without running. Cancelling the coroutine while it waits means the block
 * never runs (the permit stays spent, as in the limiter's asynchronous form).
 *
 * ```kotlin
 * val quote: Quote = limiter.executeSuspendFunction { partnerApi.quote(order) }
 * ```
 */
public suspend fun <T> RateLimiter.executeSuspendFunction(block: suspend () -> T): T {
    awaitPermit(this)
    return block()
}

/**
 * Takes one permit of [rateLimiter] each time this flow is collected, waiting for it with [delay] as
 * [executeSuspendFunction] does, before the source is collected.
 *
 * ```kotlin
 * val quotes: Flow<Quote> = partnerApi.quotes(order).rateLimiter(limiter)
 * ```
 */
public fun <T> Flow<T>.rateLimiter(rateLimiter: RateLimiter): Flow<T> {
    val source = this
    return flow {
        awaitPermit(rateLimiter)
        emitAll(source)
    }
}

private suspend fun awaitPermit(limiter: RateLimiter) {
    val wait = limiter.reservePermission(1)
    if (wait < 0) throw RequestNotPermittedException.of(limiter.name())
    if (wait > 0) delay(wait.nanoseconds)
}
