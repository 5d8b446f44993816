package dev.fusebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.testsupport.Browser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The demo as a newcomer meets it, in a real headless Chromium: the page shows the policies and the demo's
 * status; an outage started with the chaos card's button opens the protected route's breaker; the breaker's
 * reset, sent with the token the page took from its address, closes it; the page and the JSON API agree;
 * and a control without the token is refused. Screenshots go to {@code fusebox-demo/target/}.
 *
 * <p>Uses Debian's {@code chromium} and {@code chromedriver} (installed by the build when missing) through
 * fusebox-test-support's {@link Browser}, as the dashboard's own browser test does. The demo runs in this JVM with short timings.
 */
class DemoBrowserTest {

  private static final String TOKEN = "demo-browser-test-token-42";
  private static final Path SCREENSHOTS = Paths.get(System.getProperty("fusebox.demo.target", "target"));

  private static DemoApp app;
  private static Browser browser;
  private static ChromeDriver driver;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    Options options = Options.parse("--token", TOKEN, "--rate", "20", "--timeout", "1s", "--no-story");
    options.port = 0;
    options.hangFor = Duration.ofSeconds(2);
    options.breakerWait = Duration.ofSeconds(30);
    options.samplingInterval = Duration.ofMillis(250);
    options.chartSpan = Duration.ofSeconds(40);
    options.console = false;
    app = new DemoApp(options, List.of(), true, null);
    app.apply("healthy");
    app.phase("browser test");
    app.start();
    browser = Browser.start(1440, 2000);
    driver = browser.driver();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void anOutageStartedFromTheChaosCardOpensTheBreakerAndAResetWithTheTokenClosesIt() throws Exception {
    driver.get(app.dashboard().urlWithToken().toString());
    waitUntil("the page to be live with its controls unlocked",
        () -> text("#connection-text").equals("Live") && text("#token-state").equals("Controls unlocked"));
    assertThat(driver.getCurrentUrl()).doesNotContain("token");
    waitUntil("every section", () -> driver.findElements(By.cssSelector("section.section")).size() == 6);
    assertThat(stateOf("circuitbreaker", "upstream")).isEqualTo("CLOSED");
    assertThat(stateOf("chaos", "upstream")).isEqualTo("HEALTHY");
    assertThat(text("#status-badges")).contains("UPSTREAM HEALTHY");
    // A few seconds of healthy traffic first, so that the charts show the before and the after.
    LockSupport.parkNanos(Duration.ofSeconds(6).toNanos());

    card("chaos", "upstream").findElement(By.cssSelector("button[data-action='outage']")).click();

    waitUntil("the chaos card to show OUTAGE", () -> stateOf("chaos", "upstream").equals("OUTAGE"));
    assertThat(app.policies.upstreamChaos().settings().faultRate()).isEqualTo(1.0);
    waitUntil("the breaker card to show OPEN", () -> stateOf("circuitbreaker", "upstream").equals("OPEN"));
    CircuitBreaker breaker = app.policies.breakers.circuitBreaker(Policies.NAME);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(field("circuitbreaker", "upstream", "detail")).startsWith("Rejecting calls · next trial in");
    waitUntil("the announcement", () -> hiddenText("#announcer").contains("upstream: CLOSED to OPEN"));
    // Let the charts and the demo card show the outage before the picture is taken.
    LockSupport.parkNanos(Duration.ofSeconds(4).toNanos());
    screenshot("demo-outage.png");

    card("chaos", "upstream").findElement(By.cssSelector("button[data-action='healthy']")).click();
    waitUntil("the chaos card to show HEALTHY", () -> stateOf("chaos", "upstream").equals("HEALTHY"));
    card("circuitbreaker", "upstream").findElement(By.cssSelector("button[data-action='reset']")).click();
    waitUntil("the breaker card to show CLOSED", () -> stateOf("circuitbreaker", "upstream").equals("CLOSED"));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(hiddenText("#announcer")).contains("upstream reset: now CLOSED");

    // The page and the API agree, sample for sample: wait for the page to apply the API's latest tick.
    String snapshot = get("/api/snapshot", TOKEN).body();
    long tick = Long.parseLong(first(snapshot, "\"tick\":(\\d+)"));
    waitUntil("the page to apply tick " + tick,
        () -> Long.parseLong(driver.findElement(By.tagName("body")).getAttribute("data-tick")) >= tick);
    assertThat(stateOf("circuitbreaker", "upstream")).isEqualTo(first(section(snapshot, "circuitbreaker"), "\"state\":\"([A-Z_]+)\""));
    assertThat(stateOf("chaos", "upstream")).isEqualTo(first(section(snapshot, "chaos"), "\"state\":\"([A-Z_]+)\""));
    assertThat(stateOf("timelimiter", "upstream")).isEqualTo(first(section(snapshot, "timelimiter"), "\"timeoutMillis\":(\\d+)") + " ms");
    assertThat(stateOf("retry", "upstream")).isEqualTo(first(section(snapshot, "retry"), "\"maxAttempts\":(\\d+)") + " attempts");
    assertThat(field("bulkhead", "upstream", "detail"))
        .endsWith("of " + first(section(snapshot, "bulkhead"), "\"maxConcurrentCalls\":(\\d+)") + " calls in flight");

    // A control without the token is refused, from the page and from anywhere else, and changes nothing.
    Object status = browser.asyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('api/chaos/upstream/outage', {method: 'POST'}).then(r => done(r.status), e => done(String(e)));");
    assertThat(status).isEqualTo(401L);
    assertThat(post("/api/circuitbreaker/upstream/force-open", null).statusCode()).isEqualTo(401);
    assertThat(post("/api/circuitbreaker/upstream/force-open", "wrong-token-0123456789").statusCode()).isEqualTo(403);
    assertThat(app.policies.upstreamChaos().settings().faultRate()).isZero();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

    LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
    screenshot("demo.png");
  }

  // ---- helpers

  private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).header("X-Fusebox-Token", token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("X-Fusebox-Token", token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return app.dashboard().url().resolve(path.substring(1));
  }

  /** The part of a snapshot that holds one section, from its kind to the next section's. */
  private static String section(String snapshot, String kind) {
    int start = snapshot.indexOf("{\"kind\":\"" + kind + "\"");
    assertThat(start).as(kind).isNotNegative();
    int end = snapshot.indexOf("{\"kind\":\"", start + 1);
    while (end > 0 && snapshot.startsWith("{\"kind\":\"" + kind, end)) {
      end = snapshot.indexOf("{\"kind\":\"", end + 1); // an event of the same kind, inside the section
    }
    return end < 0 ? snapshot.substring(start) : snapshot.substring(start, end);
  }

  private static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }

  private static WebElement card(String kind, String name) {
    return driver.findElement(By.cssSelector("li.card[data-kind='" + kind + "'][data-name='" + name + "']"));
  }

  private static String stateOf(String kind, String name) {
    return field(kind, name, "state");
  }

  private static String field(String kind, String name, String field) {
    return card(kind, name).findElement(By.cssSelector("[data-field='" + field + "']")).getText();
  }

  private static String text(String selector) {
    return browser.text(selector);
  }

  private static String hiddenText(String selector) {
    return browser.hiddenText(selector);
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    browser.waitUntil(what, condition);
  }

  private static void screenshot(String name) {
    browser.screenshot(SCREENSHOTS, name);
  }
}
