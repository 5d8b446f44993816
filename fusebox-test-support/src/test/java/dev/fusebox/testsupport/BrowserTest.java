package dev.fusebox.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real headless Chromium on a page served by the JDK's own HTTP server on the loopback address. */
class BrowserTest {

  private static final String PAGE =
      "<!doctype html><title>t</title><p id='status'>starting</p>"
          + "<p id='note'><span style='position:absolute;left:-9999px'>for screen readers</span></p>"
          + "<script>setTimeout(() => {"
          + "  document.getElementById('status').textContent = 'ready';"
          + "}, 300);"
          // Added when the test says, not on a timer: a loaded machine must not let it exist before the first look.
          + "window.addLate = () => {"
          + "  const late = document.createElement('p'); late.id = 'late'; late.textContent = 'here';"
          + "  document.body.appendChild(late);"
          + "};</script>";

  private static HttpServer server;

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @Test
  void waitsForThePageToChangeReadsItsTextAndRunsScripts(@TempDir Path shots) throws IOException {
    Path profile;
    try (Browser browser = Browser.start(800, 600)) {
      browser.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      AtomicInteger between = new AtomicInteger();

      browser.waitUntil("the page to be ready", () -> browser.text("#status").equals("ready"), between::incrementAndGet);

      assertThat(browser.text("#status")).isEqualTo("ready");
      assertThat(browser.text("#note")).isEmpty();
      assertThat(browser.hiddenText("#note")).isEqualTo("for screen readers");
      assertThat(browser.script("return window.innerWidth")).isEqualTo(800L);
      assertThat(browser.asyncScript("arguments[arguments.length - 1](6 * 7)")).isEqualTo(42L);
      Path shot = browser.screenshot(shots, "page.png");
      assertThat(Files.readAllBytes(shot)).startsWith(0x89, 'P', 'N', 'G');
      profile = Path.of((String) browser.driver().getCapabilities().asMap().entrySet().stream()
          .filter(e -> e.getKey().equals("chrome")).map(e -> ((java.util.Map<?, ?>) e.getValue()).get("userDataDir"))
          .findFirst().orElseThrow());
      assertThat(profile).isDirectory();
    }
    assertThat(profile).doesNotExist();
  }

  @Test
  void aConditionThatThrowsWhileThePageIsBuiltCountsAsNotMetYet() {
    try (Browser browser = Browser.start(400, 300)) {
      browser.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      AtomicInteger thrown = new AtomicInteger();

      browser.waitUntil("the late paragraph", () -> {
        try {
          return browser.text("#late").equals("here");
        } catch (org.openqa.selenium.NoSuchElementException e) {
          if (thrown.incrementAndGet() == 1) {
            browser.script("window.addLate()");
          }
          throw e;
        }
      });

      assertThat(thrown.get()).isPositive();
      assertThatThrownBy(() -> browser.text("#missing")).isInstanceOf(org.openqa.selenium.NoSuchElementException.class);
    }
  }
}
