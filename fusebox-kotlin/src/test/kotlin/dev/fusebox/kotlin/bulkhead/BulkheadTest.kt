package dev.fusebox.kotlin.bulkhead

import dev.fusebox.bulkhead.AdaptiveBulkhead
import dev.fusebox.bulkhead.AdaptiveBulkheadConfig
import dev.fusebox.bulkhead.Bulkhead
import dev.fusebox.bulkhead.BulkheadConfig
import dev.fusebox.bulkhead.BulkheadFullException
import dev.fusebox.testing.ManualTicker
import java.time.Duration
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class BulkheadTest {

    private val bulkhead = Bulkhead.of("reports",
        BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ofSeconds(5)).build())

    @Test
    fun aFullBulkheadRejectsAtOnceWithoutRunningOrWaiting() = runTest {
        val gate = CompletableDeferred<Unit>()
        val running = launch { bulkhead.executeSuspendFunction { gate.await() } }
        runCurrent()
        val runs = AtomicInteger()

        val failure = runCatching { bulkhead.executeSuspendFunction { runs.incrementAndGet() } }.exceptionOrNull()

        assertThat(failure).isInstanceOfSatisfying(BulkheadFullException::class.java) {
            assertThat(it.bulkheadName()).isEqualTo("reports")
        }
        assertThat(runs).hasValue(0)
        gate.complete(Unit)
        running.join()
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1)
    }

    @Test
    fun cancellationGivesThePermitBack() = runTest {
        val call = launch { bulkhead.executeSuspendFunction { CompletableDeferred<Unit>().await() } }
        runCurrent()
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero()

        call.cancel()
        call.join()

        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1)
    }

    @Test
    fun aFlowHoldsThePermitForTheWholeCollectionAndGivesItBackHoweverItEnds() = runTest {
        val seen = mutableListOf<Int>()
        val guarded = flowOf(1, 2).bulkhead(bulkhead)

        guarded.collect { seen += bulkhead.metrics().availableConcurrentCalls() }
        guarded.take(1).toList()
        runCatching { guarded.collect { throw IllegalStateException("downstream") } }

        assertThat(seen).containsExactly(0, 0)
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1)
        assertThat(bulkhead.metrics().totalFinishedCalls()).isEqualTo(3)
    }

    @Test
    fun anAdaptiveBulkheadFeedsTheLatencyAndCountsATimeoutAsADrop() = runTest {
        val ticker = ManualTicker()
        val adaptive = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
            .initialLimit(4).minLimit(1).maxLimit(100).sampleWindowSize(1).ticker(ticker).build())

        adaptive.executeSuspendFunction { ticker.advance(Duration.ofMillis(40)); "hits" }
        runCatching { adaptive.executeSuspendFunction<String> { throw TimeoutException("slow") } }
        runCatching { adaptive.executeSuspendFunction<String> { throw IllegalStateException("fast failure") } }

        assertThat(adaptive.metrics().latestRtt()).contains(Duration.ofMillis(40))
        assertThat(adaptive.metrics().totalDroppedCalls()).isEqualTo(1)
        assertThat(adaptive.metrics().concurrentCalls()).isZero()
    }

    @Test
    fun anAdaptiveBulkheadGuardsAFlowAndRejectsOverItsLimit() = runTest {
        val adaptive = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
            .initialLimit(1).minLimit(1).maxLimit(10).build())
        val gate = CompletableDeferred<Unit>()
        val running = launch { flowOf(1).bulkhead(adaptive).collect { gate.await() } }
        runCurrent()

        val failure = runCatching { flowOf(2).bulkhead(adaptive).toList() }.exceptionOrNull()

        assertThat(failure).isInstanceOf(BulkheadFullException::class.java)
        gate.complete(Unit)
        running.join()
        assertThat(adaptive.metrics().concurrentCalls()).isZero()
    }
}
