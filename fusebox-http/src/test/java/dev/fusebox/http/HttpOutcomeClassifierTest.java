package dev.fusebox.http;

import static dev.fusebox.http.HttpOutcome.FAILURE;
import static dev.fusebox.http.HttpOutcome.IGNORED;
import static dev.fusebox.http.HttpOutcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The classification rules on their own: the defaults table, each option, and which rule wins. */
class HttpOutcomeClassifierTest {

  private final HttpOutcomeClassifier defaults = HttpOutcomeClassifier.ofDefaults();

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 501, 502, 503, 504, 599})
  void serverErrorsAndTooManyRequestsFail(int status) {
    assertThat(defaults.classifyStatus(status)).isEqualTo(FAILURE);
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 200, 204, 302, 304, 400, 401, 403, 404, 408, 428, 430, 499, 600})
  void everyOtherStatusSucceeds(int status) {
    assertThat(defaults.classifyStatus(status)).isEqualTo(SUCCESS);
  }

  @Test
  void connectFailuresTimeoutsAndOtherIoErrorsFail() {
    assertThat(defaults.classifyException(new ConnectException("refused"))).isEqualTo(FAILURE);
    assertThat(defaults.classifyException(new HttpConnectTimeoutException("connect"))).isEqualTo(FAILURE);
    assertThat(defaults.classifyException(new HttpTimeoutException("request"))).isEqualTo(FAILURE);
    assertThat(defaults.classifyException(new UnresolvedAddressException())).isEqualTo(FAILURE);
    assertThat(defaults.classifyException(new EOFException("reset"))).isEqualTo(FAILURE);
    assertThat(defaults.classifyException(new SSLHandshakeException("tls"))).isEqualTo(FAILURE);
    assertThat(defaults.classifyException(new UncheckedIOException(new IOException("x")))).isEqualTo(FAILURE);
    assertThat(defaults.classifyException(new IllegalStateException("unexpected"))).isEqualTo(FAILURE);
  }

  @Test
  void theCallersOwnDoingIsIgnored() {
    assertThat(defaults.classifyException(new InterruptedException())).isEqualTo(IGNORED);
    assertThat(defaults.classifyException(new CancellationException())).isEqualTo(IGNORED);
    assertThat(defaults.classifyException(new SecurityException())).isEqualTo(IGNORED);
    assertThat(defaults.classifyException(new IllegalArgumentException("bad URI"))).isEqualTo(IGNORED);
  }

  @Test
  void wrappersAreClassifiedByTheirCause() {
    assertThat(defaults.classifyException(new CompletionException(new InterruptedException()))).isEqualTo(IGNORED);
    assertThat(defaults.classifyException(new ExecutionException(new CompletionException(new ConnectException()))))
        .isEqualTo(FAILURE);
  }

  @Test
  void failOnStatusReplacesTheDefaultAndCanExtendIt() {
    HttpOutcomeClassifier only404 = HttpOutcomeClassifier.builder().failOnStatus(status -> status == 404).build();
    HttpOutcomeClassifier with408 = HttpOutcomeClassifier.builder()
        .failOnStatus(HttpOutcomeClassifier.DEFAULT_FAILURE_STATUS.or(status -> status == 408)).build();

    assertThat(only404.classifyStatus(404)).isEqualTo(FAILURE);
    assertThat(only404.classifyStatus(503)).isEqualTo(SUCCESS);
    assertThat(with408.classifyStatus(408)).isEqualTo(FAILURE);
    assertThat(with408.classifyStatus(503)).isEqualTo(FAILURE);
  }

  @Test
  void ignoringWinsOverFailing() {
    HttpOutcomeClassifier classifier = HttpOutcomeClassifier.builder()
        .ignoreStatus(status -> status == 429)
        .ignoreException(error -> error instanceof HttpTimeoutException)
        .build();

    assertThat(classifier.classifyStatus(429)).isEqualTo(IGNORED);
    assertThat(classifier.classifyStatus(503)).isEqualTo(FAILURE);
    assertThat(classifier.classifyException(new HttpTimeoutException("slow"))).isEqualTo(IGNORED);
    assertThat(classifier.classifyException(new InterruptedException()))
        .as("replacing the ignore rule drops the default one").isEqualTo(FAILURE);
  }

  @Test
  void anExceptionThatNeitherFailsNorIsIgnoredSucceeds() {
    HttpOutcomeClassifier classifier = HttpOutcomeClassifier.builder()
        .failOnException(error -> error instanceof ConnectException)
        .build();

    assertThat(classifier.classifyException(new ConnectException())).isEqualTo(FAILURE);
    assertThat(classifier.classifyException(new HttpTimeoutException("slow"))).isEqualTo(SUCCESS);
    assertThat(classifier.classifyException(new InterruptedException())).isEqualTo(IGNORED);
  }

  @Test
  void toBuilderKeepsEveryRule() {
    HttpOutcomeClassifier original = HttpOutcomeClassifier.builder()
        .failOnStatus(status -> status == 418)
        .ignoreStatus(status -> status == 503)
        .failOnException(error -> false)
        .ignoreException(error -> true)
        .build();

    HttpOutcomeClassifier copy = original.toBuilder().build();

    assertThat(copy.failOnStatus()).isSameAs(original.failOnStatus());
    assertThat(copy.ignoreStatus()).isSameAs(original.ignoreStatus());
    assertThat(copy.failOnException()).isSameAs(original.failOnException());
    assertThat(copy.ignoreException()).isSameAs(original.ignoreException());
    assertThat(copy.toString()).isEqualTo(
        "HttpOutcomeClassifier{failOnStatus=custom, ignoreStatus=custom, failOnException=custom, ignoreException=custom}");
    assertThat(defaults.toString()).isEqualTo(
        "HttpOutcomeClassifier{failOnStatus=default, ignoreStatus=default, failOnException=default, ignoreException=default}");
  }

  @Test
  void everyOptionRejectsNullByName() {
    HttpOutcomeClassifier.Builder builder = HttpOutcomeClassifier.builder();

    assertThatThrownBy(() -> builder.failOnStatus(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("failOnStatus must not be null");
    assertThatThrownBy(() -> builder.ignoreStatus(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("ignoreStatus must not be null");
    assertThatThrownBy(() -> builder.failOnException(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("failOnException must not be null");
    assertThatThrownBy(() -> builder.ignoreException(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("ignoreException must not be null");
    assertThatThrownBy(() -> defaults.classifyException(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("error must not be null");
  }
}
