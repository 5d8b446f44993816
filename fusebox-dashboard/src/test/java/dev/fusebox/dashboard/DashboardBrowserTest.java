package dev.fusebox.dashboard;

import static dev.fusebox.dashboard.Client.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.fallback.FallbackRegistry;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.testsupport.Browser;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real headless Chromium on the dashboard: the page shows a breaker opening, resets it with the token it
 * got from the address's fragment, agrees with the JSON API, and cannot act without the token.
 *
 * <p>Uses Debian's {@code chromium} and {@code chromedriver} through fusebox-test-support's {@link Browser},
 * which the build installs when missing. Sampling is driven by the test on a
 * hand-moved clock, so what the page must show is known exactly.
 */
class DashboardBrowserTest {

  private static final String TOKEN = "browser-test-token-0123456789";
  private static final Path SCREENSHOTS = Paths.get(System.getProperty("fusebox.dashboard.screenshots", "target"));

  private static final Breakers breakers = new Breakers();
  /** A kind without a panel of its own: its cards are built from its measures. */
  private static final FallbackRegistry fallbacks = FallbackRegistry.ofDefaults();
  private static Dashboard dashboard;
  private static Browser browser;
  private static ChromeDriver driver;
  private static int seconds = 120;

  @BeforeAll
  static void start() throws IOException {
    fallbacks.fallback("catalog");
    dashboard = Dashboard.builder(breakers.registry).registry(fallbacks).token(TOKEN).ticker(breakers.ticker)
        .manualSampling().start();
    History.play(breakers, dashboard.handler());
    browser = Browser.start(1440, 1200);
    driver = browser.driver();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
  }

  @Test
  void showsABreakerOpeningResetsItWithTheTokenAndAgreesWithTheApi() throws IOException {
    tick();
    driver.get(dashboard.urlWithToken().toString());
    waitUntil("the page to be live with its controls unlocked",
        () -> text("#connection-text").equals("Live") && text("#token-state").equals("Controls unlocked"));
    // The token left the address bar, and stays in the tab's session storage.
    assertThat(driver.getCurrentUrl()).doesNotContain("token");
    assertThat(script("return sessionStorage.getItem('fusebox.dashboard.token')")).isEqualTo(TOKEN);
    assertThat(stateOf("inventory")).isEqualTo("CLOSED");

    CircuitBreaker inventory = breakers.registry.circuitBreaker("inventory");
    Breakers.fail(inventory, 10);
    assertThat(inventory.state()).isEqualTo(State.OPEN);
    Breakers.reject(inventory, 12);
    waitUntil("the inventory card to show OPEN", () -> stateOf("inventory").equals("OPEN"), this::tick);
    assertThat(card("inventory").getAttribute("class")).contains("state-open");
    assertThat(field("inventory", "detail")).startsWith("Rejecting calls · next trial in");
    // What the on-call reads: the calls this opening spared the dependency, at least the 12 just rejected.
    String outages = card("inventory").findElement(By.cssSelector(".outages-line")).getText();
    assertThat(outages).matches("Spared its dependency \\d+ calls over \\d+ openings? · .*");
    assertThat(Long.parseLong(outages.replaceAll("^Spared its dependency (\\d+) .*$", "$1"))).isGreaterThanOrEqualTo(12);
    assertThat(hiddenText("#announcer")).contains("inventory: CLOSED to OPEN");
    screenshot("dashboard-open.png");

    card("inventory").findElement(By.cssSelector("button[data-action='reset']")).click();
    waitUntil("the inventory card to show CLOSED", () -> stateOf("inventory").equals("CLOSED"), () -> {});
    assertThat(inventory.state()).isEqualTo(State.CLOSED);
    assertThat(hiddenText("#announcer")).contains("inventory reset: now CLOSED");

    // After one more sample both sides show the same tick: the page and the API must agree exactly.
    tick();
    long tick = dashboard.handler().lastTick();
    waitUntil("the page to apply tick " + tick, () -> String.valueOf(tick).equals(driver.findElement(By.tagName("body")).getAttribute("data-tick")), () -> {});
    Map<String, Object> snapshot = json(new Client(dashboard.url()).get("/api/snapshot", "X-Fusebox-Token", TOKEN));
    for (String name : new String[] {"catalog", "inventory", "payments", "search"}) {
      Map<String, Object> api = instance(snapshot, name);
      assertThat(stateOf(name)).as(name).isEqualTo(api.get("state").toString().replace('_', api.get("state").equals("HALF_OPEN") ? '-' : ' '));
      assertThat(field(name, "bufferedCalls")).as(name).isEqualTo(String.valueOf(((Double) api.get("bufferedCalls")).intValue()));
      assertThat(field(name, "failureRate")).as(name).startsWith(percent(api.get("failureRate")));
      @SuppressWarnings("unchecked")
      Map<String, Object> rates = (Map<String, Object>) api.get("rates");
      assertThat(field(name, "calls")).as(name).isEqualTo(perSecond(rates.get("calls")));
      assertThat(field(name, "failed")).as(name).isEqualTo(perSecond(rates.get("failed")));
      assertThat(field(name, "rejected")).as(name).isEqualTo(perSecond(rates.get("rejected")));
    }

    // A control request without the token, from the page itself, is refused.
    Object status = asyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('api/circuitbreaker/catalog/force-open', {method: 'POST'}).then(r => done(r.status), e => done(String(e)));");
    assertThat(status).isEqualTo(401L);
    assertThat(breakers.registry.circuitBreaker("catalog").state()).isEqualTo(State.CLOSED);
    screenshot("dashboard.png");

    // The dark scheme follows the system's; its look is checked by eye on this screenshot.
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", java.util.List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    tick();
    screenshot("dashboard-dark.png");
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", java.util.List.of()));
  }

  @Test
  void deployModeStartsFromItsButtonForTheMinutesGivenShowsItsTimeLeftAndEndsFromTheCard() {
    tick();
    driver.get(dashboard.urlWithToken().toString());
    waitUntil("the page to be live with its controls unlocked",
        () -> text("#connection-text").equals("Live") && text("#token-state").equals("Controls unlocked"));
    CircuitBreaker catalog = breakers.registry.circuitBreaker("catalog");
    WebElement deployLine = card("catalog").findElement(By.cssSelector("[data-field='deployMode']"));
    WebElement end = card("catalog").findElement(By.cssSelector("button[data-action='end-deploy-mode']"));
    assertThat(deployLine.isDisplayed()).isFalse();
    assertThat(end.isDisplayed()).isFalse();
    try {
      WebElement minutes = card("catalog").findElement(By.cssSelector("input[data-field='deployMinutes']"));
      assertThat(minutes.getAttribute("value")).isEqualTo("10");
      minutes.clear();
      minutes.sendKeys("15");
      card("catalog").findElement(By.cssSelector("button[data-action='deploy-mode']")).click();

      waitUntil("the catalog card to show deploy mode", deployLine::isDisplayed, () -> {});
      // The ticker is the test's: the breaker holds exactly the 15 minutes asked for.
      assertThat(catalog.deployModeRemaining()).hasValue(Duration.ofMinutes(15));
      assertThat(deployLine.getText()).matches("Deploy mode · opens on its first failures · ends in 1[45] min( \\d+ s)?");
      assertThat(card("catalog").getAttribute("class")).contains("deploy-mode");
      assertThat(end.isDisplayed()).isTrue();
      waitUntil("the event in the card's list",
          () -> card("catalog").findElement(By.cssSelector(".events")).getText().contains("Deploy mode on for 15 min"),
          () -> {});
      assertThat(hiddenText("#announcer")).contains("catalog in deploy mode: now CLOSED");
      screenshot("dashboard-deploy-mode.png");

      end.click();
      waitUntil("the deploy-mode line to go", () -> !deployLine.isDisplayed(), () -> {});
      assertThat(catalog.deployModeRemaining()).isEmpty();
      assertThat(end.isDisplayed()).isFalse();
      assertThat(card("catalog").findElement(By.cssSelector(".events")).getText()).contains("Deploy mode off");
      assertThat(hiddenText("#announcer")).contains("catalog out of deploy mode: now CLOSED");
    } finally {
      catalog.endDeployMode();
    }
  }

  @Test
  void withoutTheTokenTheControlsAskForItAndActNot() {
    driver.get(dashboard.url().toString());
    script("sessionStorage.clear()");
    driver.navigate().refresh();
    waitUntil("the page to be live with its controls locked",
        () -> text("#connection-text").equals("Live") && text("#token-state").equals("Controls locked"));

    // Keyboard: a real button, activated with Enter.
    card("catalog").findElement(By.cssSelector("button[data-action='force-open']")).sendKeys(Keys.ENTER);

    waitUntil("the notice asking for the token", () -> text("#notice").contains("need the access token"), () -> {});
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("token-input");
    assertThat(breakers.registry.circuitBreaker("catalog").state()).isEqualTo(State.CLOSED);

    // Pasting the token unlocks them; focus is visible when moving by keyboard.
    WebElement input = driver.findElement(By.id("token-input"));
    input.sendKeys(TOKEN, Keys.ENTER);
    waitUntil("the controls to unlock", () -> text("#token-state").equals("Controls unlocked"), () -> {});
    input.sendKeys(Keys.TAB);
    WebElement focused = driver.switchTo().activeElement();
    assertThat(focused.getAttribute("id")).isEqualTo("token-use");
    assertThat(focused.getCssValue("outline-style")).isEqualTo("solid");
  }

  @Test
  void aKindWithoutAPanelOfItsOwnShowsEveryMeasure() {
    tick();
    driver.get(dashboard.urlWithToken().toString());
    By catalog = By.cssSelector("li.card[data-kind='fallback'][data-name='catalog']");
    waitUntil("the fallback's card", () -> !driver.findElements(catalog).isEmpty(), this::tick);
    WebElement card = driver.findElement(catalog);
    waitUntil("its figures", () -> card.getText().contains("cache size"), this::tick);
    assertThat(card.findElement(By.cssSelector("[data-field='state']")).getText()).isEqualTo("fallback");
    assertThat(card.getText())
        .contains("calls · successful/s", "calls · fallback/s", "stale values/s", "cache misses/s", "cache size");
    assertThat(text("#section-fallback")).startsWith("Fallbacks (1)");
    screenshot("dashboard-any-kind.png");
  }

  // ---- helpers

  private void tick() {
    History.steady(breakers, ++seconds);
    breakers.ticker.advance(Duration.ofSeconds(1));
    dashboard.handler().sampleNow();
  }

  private static WebElement card(String name) {
    return driver.findElement(By.cssSelector("li.card[data-kind='circuitbreaker'][data-name='" + name + "']"));
  }

  private static String stateOf(String name) {
    return field(name, "state");
  }

  private static String field(String name, String field) {
    return card(name).findElement(By.cssSelector("[data-field='" + field + "']")).getText();
  }

  private static String text(String selector) {
    return browser.text(selector);
  }

  private static String hiddenText(String selector) {
    return browser.hiddenText(selector);
  }

  private static Object script(String script) {
    return browser.script(script);
  }

  private static Object asyncScript(String script) {
    return browser.asyncScript(script);
  }

  private static String percent(Object value) {
    if (value == null) {
      return "—";
    }
    double rounded = Math.round((Double) value * 10) / 10.0;
    return (rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded)) + "%";
  }

  private static String perSecond(Object value) {
    double v = (Double) value;
    return v >= 100 ? String.valueOf(Math.round(v)) : String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> instance(Map<String, Object> snapshot, String name) {
    var sections = (java.util.List<Map<String, Object>>) snapshot.get("sections");
    for (Map<String, Object> instance : (java.util.List<Map<String, Object>>) sections.get(0).get("instances")) {
      if (instance.get("name").equals(name)) {
        return instance;
      }
    }
    throw new AssertionError("no " + name + " in the snapshot");
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    browser.waitUntil(what, condition);
  }

  private static void waitUntil(String what, BooleanSupplier condition, Runnable between) {
    browser.waitUntil(what, condition, between);
  }

  private static void screenshot(String name) {
    browser.screenshot(SCREENSHOTS, name);
  }
}
