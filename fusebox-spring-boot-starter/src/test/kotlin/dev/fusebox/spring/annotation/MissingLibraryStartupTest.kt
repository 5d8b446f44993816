package dev.fusebox.spring.annotation

import java.io.File
import java.nio.file.Paths
import java.util.concurrent.TimeUnit
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/**
 * The starter refuses to start, naming the library to add, when an annotated suspend function or Flow
 * function lacks a library it needs. Spring's FilteredClassLoader cannot hide a class from the loader that
 * defined the annotated bean, so each case runs [MissingLibraryApp] in a child JVM on this JVM's class path
 * without the library's jar (or classes directory).
 */
class MissingLibraryStartupTest {

    private class Outcome(val exitCode: Int, val output: String) {
        override fun toString() = "exit $exitCode:\n$output"
    }

    /** The class path entry (a jar or a classes directory) that [className] is loaded from here. */
    private fun entryOf(className: String): File {
        val location = Class.forName(className).protectionDomain.codeSource.location
        return Paths.get(location.toURI()).toFile()
    }

    private fun startWithout(bean: String, vararg hiddenClasses: String): Outcome {
        val hidden = hiddenClasses.map { entryOf(it).canonicalFile }.toSet()
        val entries = System.getProperty("java.class.path").split(File.pathSeparator).filter { it.isNotEmpty() }
        val kept = entries.filter { File(it).canonicalFile !in hidden }
        // Each hidden library was one entry of the class path: else the child would still see it.
        assertThat(entries.size - kept.size).describedAs("class path entries hidden").isEqualTo(hidden.size)
        val java = ProcessHandle.current().info().command().orElseGet {
            Paths.get(System.getProperty("java.home"), "bin", "java").toString()
        }
        val process = ProcessBuilder(
            java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-cp", kept.joinToString(File.pathSeparator),
            MissingLibraryApp::class.java.name, bean,
        ).redirectErrorStream(true).start()
        val output = StringBuilder()
        val reader = Thread {
            process.inputStream.bufferedReader().useLines { lines -> lines.forEach { output.appendLine(it) } }
        }.apply { start() }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            reader.join(5_000)
            throw AssertionError("the child JVM did not end within 60 s:\n$output")
        }
        reader.join(5_000)
        return Outcome(process.exitValue(), output.toString())
    }

    private fun refusal(outcome: Outcome): String? =
        outcome.output.lineSequence().firstOrNull { it.startsWith(MissingLibraryApp.REFUSED) }
            ?.removePrefix(MissingLibraryApp.REFUSED)

    @Test
    fun aSuspendFunctionWithoutKotlinxCoroutinesReactorIsRefusedNamingIt() {
        val outcome = startWithout("suspend", "kotlinx.coroutines.reactor.MonoKt")
        assertThat(outcome.exitCode).describedAs("%s", outcome).isEqualTo(2)
        assertThat(refusal(outcome)).describedAs("%s", outcome)
            .contains("MissingLibraryApp\$SuspendBean.call is a Kotlin suspend function")
            .endsWith(": add the dependency org.jetbrains.kotlinx:kotlinx-coroutines-reactor")
    }

    @Test
    fun aSuspendFunctionWithoutFuseboxReactorIsRefusedNamingIt() {
        val outcome = startWithout("suspend", "dev.fusebox.reactor.CircuitBreakerOperator")
        assertThat(outcome.exitCode).describedAs("%s", outcome).isEqualTo(2)
        assertThat(refusal(outcome)).describedAs("%s", outcome)
            .contains("MissingLibraryApp\$SuspendBean.call is a Kotlin suspend function")
            .endsWith(": add the dependency dev.fusebox:fusebox-reactor")
    }

    @Test
    fun aFlowFunctionWithoutFuseboxKotlinIsRefusedNamingIt() {
        val outcome = startWithout("flow", "dev.fusebox.kotlin.circuitbreaker.CircuitBreakerKt")
        assertThat(outcome.exitCode).describedAs("%s", outcome).isEqualTo(2)
        assertThat(refusal(outcome)).describedAs("%s", outcome)
            .contains("MissingLibraryApp\$FlowBean.feed returns a Kotlin Flow")
            .endsWith(": add the dependency dev.fusebox:fusebox-kotlin")
    }

    /** The control: with the whole class path the same child starts, so the refusals above are the libraries'. */
    @Test
    fun bothStartWithEveryLibrary() {
        for (bean in listOf("suspend", "flow")) {
            val outcome = startWithout(bean)
            assertThat(outcome.exitCode).describedAs("%s", outcome).isZero()
            assertThat(refusal(outcome)).describedAs("%s", outcome).isNull()
        }
    }
}
