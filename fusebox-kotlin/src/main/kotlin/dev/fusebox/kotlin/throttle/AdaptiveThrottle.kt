package dev.fusebox.kotlin.throttle

import dev.fusebox.kotlin.Ending
import dev.fusebox.kotlin.emitAllReporting
import dev.fusebox.kotlin.isCancellation
import dev.fusebox.throttle.AdaptiveThrottle
import dev.fusebox.throttle.CallThrottledException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Runs [block] through this throttle: a shed request throws the throttle's [CallThrottledException]
 * without running; otherwise the block's result or exception is recorded and handed back unchanged.
 *
 * The result is judged by the configuration's `recordResult`; a block returning `Unit` was accepted and the
 * predicate never sees it. Cancelling the calling coroutine while the block runs records nothing. Nothing
 * blocks: the block suspends as it likes.
 *
 * ```kotlin
 * val response: SearchResponse = throttle.executeSuspendFunction { search.query(terms) }
 * ```
 *
 * @param block the call
 * @return the block's result
 */
public suspend fun <T> AdaptiveThrottle.executeSuspendFunction(block: suspend () -> T): T {
    acquirePermission()
    val result = try {
        block()
    } catch (e: Throwable) {
        if (!isCancellation(e)) onError(e)
        throw e
    }
    if (result === Unit) onSuccess() else onResult(result)
    return result
}

/**
 * Guards each collection of this flow with [throttle]: the throttle decides when collection starts, and a
 * shed collection throws [CallThrottledException] without collecting the source.
 *
 * A collection is one request, recorded once when it ends: completion was accepted, an exception of the
 * source is judged like any exception. Elements are not judged by `recordResult`. Cancellation, and a
 * downstream that stops early (`take`, `first`) or throws, record nothing.
 *
 * ```kotlin
 * val hits: Flow<Hit> = search.stream(terms).adaptiveThrottle(throttle)
 * ```
 *
 * @param throttle the throttle
 * @return a flow that asks [throttle] at each collection
 */
public fun <T> Flow<T>.adaptiveThrottle(throttle: AdaptiveThrottle): Flow<T> {
    val source = this
    return flow {
        throttle.acquirePermission()
        emitAllReporting(source) { ending, error ->
            when (ending) {
                Ending.COMPLETED -> throttle.onSuccess()
                Ending.FAILED -> throttle.onError(error!!)
                Ending.CANCELLED, Ending.DOWNSTREAM -> Unit
            }
        }
    }
}
