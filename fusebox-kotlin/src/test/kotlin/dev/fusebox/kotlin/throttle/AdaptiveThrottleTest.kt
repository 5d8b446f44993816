package dev.fusebox.kotlin.throttle

import dev.fusebox.testing.ManualTicker
import dev.fusebox.throttle.AdaptiveThrottle
import dev.fusebox.throttle.AdaptiveThrottleConfig
import dev.fusebox.throttle.CallThrottledException
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger
import java.util.random.RandomGenerator
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class AdaptiveThrottleTest {

    /** Draws 0 every time: any rejection probability above zero sheds the request. */
    private val throttle = AdaptiveThrottle.of("search", AdaptiveThrottleConfig.builder()
        .ticker(ManualTicker())
        .random(RandomGenerator { 0L })
        .recordResult { it == "503" }
        .build())

    @Test
    fun aResultIsJudgedAndReturned() = runTest {
        assertThat(throttle.executeSuspendFunction { "200" }).isEqualTo("200")
        assertThat(throttle.executeSuspendFunction { "503" }).isEqualTo("503")

        assertThat(throttle.metrics().totalAccepts()).isEqualTo(1)
        assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1)
    }

    @Test
    fun anExceptionIsAFailureAndRethrownUnchanged() = runTest {
        val failure = IOException("down")

        val thrown = runCatching { throttle.executeSuspendFunction<String> { throw failure } }.exceptionOrNull()

        assertThat(thrown).isSameAs(failure)
        assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1)
    }

    @Test
    fun aShedCallThrowsTheThrottlesRejectionWithoutRunning() = runTest {
        throttle.onError(IOException("down"))
        val runs = AtomicInteger()

        val thrown = runCatching { throttle.executeSuspendFunction { runs.incrementAndGet() } }.exceptionOrNull()

        assertThat(thrown).isInstanceOf(CallThrottledException::class.java)
        assertThat(runs).hasValue(0)
        assertThat(throttle.metrics().totalRejectedRequests()).isEqualTo(1)
    }

    @Test
    fun cancellingTheCallerRecordsNothing() = runTest {
        val never = CompletableDeferred<String>()
        val call = launch { throttle.executeSuspendFunction { never.await() } }
        runCurrent()

        call.cancel()
        call.join()

        assertThat(throttle.metrics().totalRequests()).isZero()
    }

    @Test
    fun aFlowIsOneRequestPerCollectionRecordedWhenItEnds() = runTest {
        val collections = AtomicInteger()
        val guarded = flow {
            collections.incrementAndGet()
            emit("503")
            emit("503")
        }.adaptiveThrottle(throttle)

        assertThat(guarded.toList()).containsExactly("503", "503")
        assertThat(guarded.first()).isEqualTo("503")

        assertThat(collections).hasValue(2)
        assertThat(throttle.metrics().totalAccepts()).isEqualTo(1)
        assertThat(throttle.metrics().totalRequests()).isEqualTo(1)
    }

    @Test
    fun aShedCollectionNeverCollectsTheSource() = runTest {
        val failure = IOException("down")
        val failed = runCatching { flow<String> { throw failure }.adaptiveThrottle(throttle).toList() }.exceptionOrNull()
        assertThat(failed).isSameAs(failure)
        val collections = AtomicInteger()

        val shed = runCatching {
            flow { collections.incrementAndGet(); emit(1) }.adaptiveThrottle(throttle).toList()
        }.exceptionOrNull()

        assertThat(shed).isInstanceOf(CallThrottledException::class.java)
        assertThat(collections).hasValue(0)
        assertThat(throttle.metrics().totalFailedRequests()).isEqualTo(1)
        assertThat(throttle.metrics().totalRejectedRequests()).isEqualTo(1)
    }
}
