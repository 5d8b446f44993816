package dev.fusebox.kotlin

import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.isActive

/**
 * Whether [error] means the caller's coroutine was cancelled, rather than that the call failed: a
 * `CancellationException` while the coroutine is no longer active. A `TimeoutCancellationException` from a
 * `withTimeout` inside the call, with the caller still active, is the call's own failure.
 */
internal suspend fun isCancellation(error: Throwable): Boolean =
    error is CancellationException && !currentCoroutineContext().isActive

/**
 * How one collection of a guarded flow ended. [DOWNSTREAM] is an exception thrown by the collector
 * downstream (a `take(n)` or `first()` included, which abort by throwing), which says nothing about the
 * source, like a cancellation.
 */
internal enum class Ending { COMPLETED, FAILED, CANCELLED, DOWNSTREAM }

/**
 * Collects [source] into this collector and reports how the collection ended to [report] before the
 * ending propagates: an exception of the source, of the downstream collector, or of cancellation is
 * rethrown unchanged after the report.
 */
internal suspend fun <T> FlowCollector<T>.emitAllReporting(
    source: Flow<T>,
    report: (Ending, Throwable?) -> Unit,
) {
    var downstream: Throwable? = null
    try {
        source.collect { value ->
            try {
                emit(value)
            } catch (e: Throwable) {
                downstream = e
                throw e
            }
        }
    } catch (e: Throwable) {
        val ending = when {
            e === downstream -> Ending.DOWNSTREAM
            isCancellation(e) -> Ending.CANCELLED
            else -> Ending.FAILED
        }
        report(ending, e)
        throw e
    }
    report(Ending.COMPLETED, null)
}
