package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against a real redis-server listening with {@code --tls-port} and requiring client certificates:
 * a {@code rediss://} URI with a trust store and a client certificate given as builder options. The
 * certificates are made for the test with openssl and keytool; without them, or with a redis-server
 * built without TLS, the tests are skipped, saying why.
 */
class TlsTest {

  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static RedisServer server;
  private static int tlsPort;
  private static String skipped;

  @BeforeAll
  static void startATlsRedis() {
    try {
      run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
          "-days", "2", "-subj", "/CN=fusebox-test-ca");
      Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n", StandardCharsets.UTF_8);
      for (String who : List.of("server", "client")) {
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
            "-subj", "/CN=" + (who.equals("server") ? "127.0.0.1" : "fusebox-client"));
        run("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", who + ".crt", "-days", "2", "-extfile", "server.ext");
      }
      run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12",
          "-storetype", "PKCS12", "-storepass", new String(STORE_PASSWORD));
      run("openssl", "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
          "-passout", "pass:" + new String(STORE_PASSWORD));
    } catch (IOException | IllegalStateException e) {
      skipped = "cannot make test certificates with openssl and keytool: " + e.getMessage();
      return;
    }
    tlsPort = RedisServer.freePort();
    try {
      server = RedisServer.startWith("--tls-port", Integer.toString(tlsPort),
          "--tls-cert-file", path("server.crt"), "--tls-key-file", path("server.key"),
          "--tls-ca-cert-file", path("ca.crt"), "--tls-auth-clients", "yes");
    } catch (IllegalStateException | AssertionError e) {
      skipped = "this redis-server does not serve TLS (" + e.getMessage() + ")";
      return;
    }
    List<String> acl = new ArrayList<>(List.of("ACL", "SETUSER"));
    acl.addAll(List.of(AclTest.documentedAcl().split(" ")));
    assertThat(RedisServer.command(server.port, acl.toArray(String[]::new))).isEqualTo("+OK");
  }

  /** The TLS example of docs/redis.md, as the documented ACL user; keep the two in step. */
  @Test
  void theDocumentedExampleRuns() {
    assumeTrue(skipped == null, () -> skipped);
    String redisPassword = AclTest.PASSWORD;
    char[] storePassword = STORE_PASSWORD;

    // --- docs/redis.md: TLS example ---
    RedisSharedState shared = RedisSharedState.builder()
        .uri("rediss://127.0.0.1:" + tlsPort)                 // "rediss://redis.internal:6380"
        .username("fusebox-shop")
        .password(redisPassword)
        .trustStore(dir.resolve("trust.p12"), storePassword)  // Path.of("/etc/fusebox/redis-ca.p12")
        .keyStore(dir.resolve("client.p12"), storePassword)   // Path.of("/etc/fusebox/fusebox-shop.p12")
        .keyPrefix("shop")
        .build();
    // --- end of example ---

    try (shared) {
      shared.registry(CircuitBreakerConfig.ofDefaults()).circuitBreaker("orders");
      Poll.until(Duration.ofSeconds(20), "flushed over TLS as the ACL user", () -> shared.metrics().flushes() >= 2);
      assertThat(shared.metrics().failedFlushes()).isZero();
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aTrustStoreAndAClientCertificateConnectOverTls() {
    assumeTrue(skipped == null, () -> skipped);
    try (RedisSharedState state = RedisSharedState.builder()
        .uri("rediss://127.0.0.1:" + tlsPort)
        .trustStore(dir.resolve("trust.p12"), STORE_PASSWORD)
        .keyStore(dir.resolve("client.p12"), STORE_PASSWORD)
        .keyPrefix("tls")
        .syncInterval(Duration.ofMillis(100))
        .build()) {
      state.registry(CircuitBreakerConfig.ofDefaults()).circuitBreaker("orders");
      Poll.until(Duration.ofSeconds(20), "flushed over TLS", () -> state.metrics().flushes() >= 2);
      assertThat(state.mode()).isEqualTo(RedisSharedState.Mode.SHARED);
      assertThat(state.metrics().failedFlushes()).isZero();
    }
  }

  @Test
  void withoutTheClientCertificateTheServerRefusesTheConnection() {
    assumeTrue(skipped == null, () -> skipped);
    assertThatThrownBy(() -> RedisSharedState.builder()
            .uri("rediss://127.0.0.1:" + tlsPort)
            .trustStore(dir.resolve("trust.p12"), STORE_PASSWORD)
            .keyPrefix("tls")
            .connectTimeout(Duration.ofSeconds(2))
            .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be used");
  }

  @Test
  void storesNeedTlsAndAReadableFile() {
    assertThatThrownBy(() -> RedisSharedState.builder()
            .uri("redis://127.0.0.1:6379")
            .trustStore(Path.of("/nonexistent/trust.p12"), STORE_PASSWORD)
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustStore")
        .hasMessageContaining("rediss://")
        .hasMessageContaining("/nonexistent/trust.p12");
    assertThatThrownBy(() -> RedisSharedState.builder()
            .uri("rediss://127.0.0.1:6379")
            .keyStore(Path.of("/nonexistent/client.p12"), STORE_PASSWORD)
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyStore")
        .hasMessageContaining("/nonexistent/client.p12");
    assertThatThrownBy(() -> RedisSharedState.builder().trustStore(null, STORE_PASSWORD))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("trustStore must not be null");
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static void run(String... command) throws IOException {
    File log = dir.resolve("tools.log").toFile();
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: "
            + Files.readString(log.toPath(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
