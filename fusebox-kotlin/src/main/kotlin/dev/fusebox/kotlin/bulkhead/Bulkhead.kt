package dev.fusebox.kotlin.bulkhead

import dev.fusebox.bulkhead.AdaptiveBulkhead
import dev.fusebox.bulkhead.Bulkhead
import dev.fusebox.bulkhead.BulkheadFullException
import dev.fusebox.kotlin.Ending
import dev.fusebox.kotlin.emitAllReporting
import dev.fusebox.kotlin.isCancellation
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow

/**
 * Runs [block] inside this bulkhead: a permit is taken if one is free, or the call throws
 * [BulkheadFullException] without running. The permit goes back when the block returns, throws, or the
 * calling coroutine is cancelled.
 *
 * It never waits for a permit, whatever `maxWaitDuration` says: waiting would park the thread, and a
 * bulkhead in front of suspending calls exists to shed load, not to queue it (the bulkhead's asynchronous
 * form never waits either).
 *
 * ```kotlin
 * val report: Report = bulkhead.executeSuspendFunction { reports.render(id) }
 * ```
 */
public suspend fun <T> Bulkhead.executeSuspendFunction(block: suspend () -> T): T {
    if (!tryAcquirePermission()) throw BulkheadFullException.of(name())
    try {
        return block()
    } finally {
        onComplete()
    }
}

/**
 * Runs each collection of this flow inside [bulkhead]: the permit is taken when collection starts (or the
 * collection throws [BulkheadFullException] without collecting the source) and goes back once, however
 * the collection ends. It never waits for a permit.
 *
 * ```kotlin
 * val rows: Flow<Row> = database.query(sql).bulkhead(bulkhead)
 * ```
 */
public fun <T> Flow<T>.bulkhead(bulkhead: Bulkhead): Flow<T> {
    val source = this
    return flow {
        if (!bulkhead.tryAcquirePermission()) throw BulkheadFullException.of(bulkhead.name())
        try {
            emitAll(source)
        } finally {
            bulkhead.onComplete()
        }
    }
}

/**
 * Runs [block] inside this adaptive bulkhead: a permit is taken while fewer calls than the limit are in
 * flight, or the call throws [BulkheadFullException] without running. The block's latency, on the
 * bulkhead's ticker, feeds the limit; an exception the configuration calls a drop (a time-out, by
 * default) lowers it; any other exception, and cancellation, give the permit back without a sample.
 *
 * ```kotlin
 * val hits: Hits = bulkhead.executeSuspendFunction { search.query(terms) }
 * ```
 */
public suspend fun <T> AdaptiveBulkhead.executeSuspendFunction(block: suspend () -> T): T {
    if (!tryAcquirePermission()) throw BulkheadFullException.of(name())
    val start = config().ticker().nanos()
    val result = try {
        block()
    } catch (e: Throwable) {
        report(this, start, if (isCancellation(e)) Ending.CANCELLED else Ending.FAILED, e)
        throw e
    }
    onSuccess(config().ticker().nanos() - start)
    return result
}

/**
 * Runs each collection of this flow inside the adaptive [bulkhead]: the latency of a collection that
 * completes, from its start to its end, feeds the limit; a drop lowers it; anything else gives the permit
 * back without a sample.
 *
 * ```kotlin
 * val hits: Flow<Hit> = search.stream(terms).bulkhead(adaptive)
 * ```
 */
public fun <T> Flow<T>.bulkhead(bulkhead: AdaptiveBulkhead): Flow<T> {
    val source = this
    return flow {
        if (!bulkhead.tryAcquirePermission()) throw BulkheadFullException.of(bulkhead.name())
        val start = bulkhead.config().ticker().nanos()
        emitAllReporting(source) { ending, error -> report(bulkhead, start, ending, error) }
    }
}

private fun report(bulkhead: AdaptiveBulkhead, start: Long, ending: Ending, error: Throwable?) {
    val rtt = bulkhead.config().ticker().nanos() - start
    when (ending) {
        Ending.COMPLETED -> bulkhead.onSuccess(rtt)
        Ending.FAILED -> bulkhead.onError(rtt, error!!)
        Ending.CANCELLED, Ending.DOWNSTREAM -> bulkhead.releasePermission()
    }
}
