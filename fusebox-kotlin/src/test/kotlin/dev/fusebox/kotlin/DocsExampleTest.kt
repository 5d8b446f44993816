package dev.fusebox.kotlin

import dev.fusebox.circuitbreaker.CallNotPermittedException
import dev.fusebox.circuitbreaker.CircuitBreaker
import dev.fusebox.kotlin.circuitbreaker.circuitBreaker
import dev.fusebox.kotlin.circuitbreaker.executeSuspendFunction
import dev.fusebox.kotlin.retry.executeSuspendFunction
import dev.fusebox.kotlin.retry.retry
import dev.fusebox.kotlin.timelimiter.executeSuspendFunction
import dev.fusebox.retry.Retry
import dev.fusebox.retry.RetryConfig
import dev.fusebox.timelimiter.TimeLimiter
import dev.fusebox.timelimiter.TimeLimiterConfig
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlin.streams.asSequence
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/**
 * The examples of docs/kotlin.md, compiled and run. Each Kotlin block of the guide follows an
 * `<!-- example: name -->` marker and must equal, character for character, the code between
 * `// tag::name[]` and `// end::name[]` in this module's tests.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class DocsExampleTest {

    /** Stands for a suspending client: fails twice, then answers. */
    class QuoteClient {
        val calls = AtomicInteger()

        suspend fun quote(order: String): String =
            if (calls.incrementAndGet() <= 2) throw IOException("connection reset") else "quote for $order"

        fun prices(sku: String): Flow<String> = flowOf("$sku:10", "$sku:11")
    }

    private val client = QuoteClient()

    @Test
    fun theSuspendExampleRetriesThroughTheBreakerAndTheTimeLimiter() = runTest {
        // tag::suspend[]
        val breaker = CircuitBreaker.ofDefaults("quotes")
        val retry = Retry.of("quotes", RetryConfig.builder()
            .maxAttempts(3)
            .waitDuration(Duration.ofMillis(200))
            .build())
        val limiter = TimeLimiter.of("quotes", TimeLimiterConfig.builder()
            .timeoutDuration(Duration.ofSeconds(2))
            .build())

        val quote = retry.executeSuspendFunction {          // up to 3 attempts, waiting with delay
            breaker.executeSuspendFunction {                // each attempt asks the breaker
                limiter.executeSuspendFunction {            // each attempt within 2 s
                    client.quote("A-17")
                }
            }
        }
        // end::suspend[]

        assertThat(quote).isEqualTo("quote for A-17")
        assertThat(currentTime).isEqualTo(400L)
    }

    @Test
    fun theFlowExampleRecordsOneOutcomeForTheWholeCollection() = runTest {
        val breaker = CircuitBreaker.ofDefaults("prices")
        val retry = Retry.ofDefaults("prices")

        // tag::flow[]
        val prices: Flow<String> = client.prices("sku-9")
            .circuitBreaker(breaker)   // one call per collection, recorded when it ends
            .retry(retry)              // collected again after a failure
        // end::flow[]

        assertThat(prices.toList()).containsExactly("sku-9:10", "sku-9:11")
        assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
    }

    @Test
    fun theFallbackExampleAnswersWhileTheBreakerIsOpen() = runTest {
        val breaker = CircuitBreaker.ofDefaults("quotes")
        breaker.transitionToOpenState()

        // tag::fallback[]
        val quote = try {
            breaker.executeSuspendFunction { client.quote("A-17") }
        } catch (e: CallNotPermittedException) {
            "cached quote"
        }
        // end::fallback[]

        assertThat(quote).isEqualTo("cached quote")
        assertThat(client.calls).hasValue(0)
    }

    @Test
    fun theGuideShowsExactlyTheTaggedCode() {
        val guidePath = Path.of("..", "docs", "kotlin.md")
        val text = Files.readString(guidePath)
        val guide = Regex("<!-- example: ([\\w-]+) -->\\s*```kotlin\\n(.*?)```", RegexOption.DOT_MATCHES_ALL)
            .findAll(text).associate { it.groupValues[1] to it.groupValues[2].trim() }
        val tagged = Files.walk(Path.of("src", "test", "kotlin")).use { files ->
            files.asSequence().filter { it.toString().endsWith(".kt") }.flatMap { file ->
                Regex("// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", RegexOption.DOT_MATCHES_ALL)
                    .findAll(Files.readString(file)).map { it.groupValues[1] to dedent(it.groupValues[2]) }
            }.toMap()
        }
        assertThat(guide.keys).containsExactlyInAnyOrderElementsOf(tagged.keys)
        guide.forEach { (name, code) -> assertThat(code).`as`("docs/kotlin.md example '%s'", name).isEqualTo(tagged[name]) }
        assertThat(text).`as`("every Kotlin block is a tested example").doesNotContainPattern("(?<!-->)\\n\\n```kotlin")
    }

    private fun dedent(code: String): String {
        val common = code.lines().filter { it.isNotBlank() }.minOfOrNull { it.length - it.trimStart().length } ?: 0
        return code.lines().joinToString("\n") { if (it.isBlank()) "" else it.substring(common) }.trim()
    }
}
