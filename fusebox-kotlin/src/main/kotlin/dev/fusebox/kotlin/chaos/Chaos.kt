package dev.fusebox.kotlin.chaos

import dev.fusebox.chaos.Chaos
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.function.Supplier
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.await

/**
 * Runs [block] through this chaos policy, which decides the call as its `executeCompletionStage` does and
 * counts it in its metrics and events alike: an injected fault is thrown without running the block, an
 * injected result is returned instead of running it, injected latency suspends the caller before the block
 * runs, on the policy's own `scheduler` (`ChaosConfig.scheduler`), never blocking a thread. Cancelling the
 * calling coroutine during that latency means the block never runs.
 *
 * ```kotlin
 * val stock: Stock = chaos.executeSuspendFunction { inventory.fetch(sku) }
 * ```
 *
 * @param block the call
 * @return the block's result, or the injected one
 */
public suspend fun <T> Chaos.executeSuspendFunction(block: suspend () -> T): T {
    val outcome = decide(this)
    if (outcome === RUN) return block()
    @Suppress("UNCHECKED_CAST")
    return outcome as T
}

/**
 * Injects [chaos] into each collection of this flow, decided when collection starts: an injected fault is
 * thrown without collecting the source, an injected result is emitted as the one element instead of the
 * source's (a `null` result emits nothing), injected latency suspends the collector before the source is
 * collected, on the policy's own `scheduler`, never blocking a thread.
 *
 * ```kotlin
 * val prices: Flow<Price> = client.prices(sku).chaos(chaos)
 * ```
 *
 * @param chaos the chaos policy
 * @return a flow into whose collections [chaos] injects
 */
public fun <T> Flow<T>.chaos(chaos: Chaos): Flow<T> {
    val source = this
    return flow {
        val outcome = decide(chaos)
        if (outcome === RUN) {
            emitAll(source)
        } else if (outcome != null) {
            @Suppress("UNCHECKED_CAST")
            emit(outcome as T)
        }
    }
}

/** What the policy's call answers when it lets the call run: only this file can tell it apart. */
private val RUN = Any()

private val RUN_STAGE: CompletionStage<Any?> = CompletableFuture.completedFuture(RUN)

private val CALL = Supplier<CompletionStage<Any?>> { RUN_STAGE }

/**
 * One decision of [chaos]: [RUN], an injected result, or the injected fault thrown. Awaiting the stage
 * suspends through injected latency; cancelling the caller cancels it, and so the pending start.
 */
private suspend fun decide(chaos: Chaos): Any? {
    val decision = chaos.executeCompletionStage(CALL).toCompletableFuture()
    return decision.await()
}
