package dev.fusebox.dashboard;

import static dev.fusebox.dashboard.Client.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.testsupport.Browser;
import dev.fusebox.testsupport.Poll;
import dev.fusebox.testsupport.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real headless Chromium on the dashboards of three instances that share their breakers through a real
 * redis-server: each shows the fleet (members, how many instances hold a breaker in which state, the
 * overrides with reason and author), and its controls ask "this instance or the whole fleet", a fleet
 * action needing a reason.
 */
class DashboardFleetBrowserTest {

  private static final String TOKEN = "fleet-browser-token-0123456789";
  private static final Path SCREENSHOTS = Paths.get(System.getProperty("fusebox.dashboard.screenshots", "target"));
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private static RedisServer redis;
  private static final List<RedisSharedState> states = new ArrayList<>();
  private static final List<CircuitBreaker> inventory = new ArrayList<>();
  private static final List<Dashboard> dashboards = new ArrayList<>();
  private static Browser browser;
  private static ChromeDriver driver;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().countBasedWindow(10).minimumNumberOfCalls(5)
        .waitDurationInOpenState(Duration.ofMinutes(1)).build();
    for (int i = 1; i <= 3; i++) {
      RedisSharedState shared = RedisSharedState.builder().uri(redis.uri()).keyPrefix("dashfleet")
          .instanceId("api-" + i).syncInterval(Duration.ofMillis(200)).build();
      states.add(shared);
      CircuitBreakerRegistry registry = shared.registry(config);
      inventory.add(registry.circuitBreaker("inventory"));
      registry.circuitBreaker("payments");
      dashboards.add(Dashboard.builder(registry).sharedState(shared).token(TOKEN)
          .samplingInterval(Duration.ofMillis(200)).start());
    }
    browser = Browser.start(1440, 1400);
    driver = browser.driver();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    dashboards.forEach(Dashboard::close);
    states.forEach(RedisSharedState::close);
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aFleetActionFromThePageNeedsAReasonReachesEveryInstanceAndIsShownEverywhere() throws IOException {
    open(0);
    browser.waitUntil("the fleet of three", () -> browser.text(".fleet-panel h3").startsWith("Fleet: 3 instances"));
    assertThat(browser.text(".fleet-panel h3")).contains("this one is api-1 (SHARED)");
    assertThat(driver.findElements(By.cssSelector(".fleet-members li"))).extracting(WebElement::getText)
        .containsExactly("api-1 SHARED", "api-2 SHARED", "api-3 SHARED");
    browser.waitUntil("the inventory card to count the fleet",
        () -> fleetLine("inventory").startsWith("Closed 3 across 3 instances · fleet CLOSED, window: "));
    // The fleet's window, as this instance's flush of its own calls was answered.
    for (int i = 0; i < 3; i++) {
      inventory.get(0).executeSupplier(() -> "ok");
    }
    Breakers.fail(inventory.get(0), 1);
    browser.waitUntil("the fleet's window on the card",
        () -> fleetLine("inventory").endsWith("window: 25% failed of 4 calls"));

    // A fleet action without a reason is refused on the page, and nothing changes.
    card("inventory").findElement(By.cssSelector("button[data-action='force-open']")).click();
    WebElement form = card("inventory").findElement(By.cssSelector("form.scope-form"));
    assertThat(form.isDisplayed()).isTrue();
    form.findElement(By.cssSelector("input[data-scope='fleet']")).click();
    form.findElement(By.cssSelector("button[data-scope-apply]")).click();
    assertThat(form.findElement(By.cssSelector(".scope-error")).getText()).contains("needs a reason");
    assertThat(inventory).allSatisfy(b -> assertThat(b.state()).isEqualTo(State.CLOSED));

    form.findElement(By.cssSelector("input[data-field='reason']")).sendKeys("INC-42: supplier down");
    form.findElement(By.cssSelector("button[data-scope-apply]")).click();

    browser.waitUntil("this instance's card to be forced open", () -> stateOf("inventory").equals("FORCED_OPEN"));
    Poll.until(LIMIT, "every instance is forced open",
        () -> inventory.stream().allMatch(b -> b.state() == State.FORCED_OPEN));
    browser.waitUntil("the card to count the fleet forced open",
        () -> fleetLine("inventory").startsWith("Forced open 3 across 3 instances"));
    assertThat(card("inventory").findElement(By.cssSelector(".fleet-override")).getText())
        .contains("for the fleet by api-1").contains("INC-42: supplier down").contains("until released");
    assertThat(form.isDisplayed()).isFalse();
    screenshot("dashboard-fleet-forced.png");

    // Another instance's dashboard shows the override, with its reason and author.
    open(2);
    browser.waitUntil("the override on the third instance's page",
        () -> browser.text(".fleet-overrides li[data-breaker='inventory']").contains("INC-42: supplier down"));
    assertThat(browser.text(".fleet-overrides li[data-breaker='inventory']")).contains("by api-1");
    // Its audit trail: the override as this instance applied it, with author and reason.
    browser.waitUntil("the override in the third instance's fleet events", () -> browser.text(
        ".fleet-events li[data-type='FLEET_OVERRIDE_APPLIED']").contains("set by api-1: INC-42: supplier down"));
    Map<String, Object> api = json(new Client(dashboards.get(2).url()).get("/api/snapshot", "X-Fusebox-Token", TOKEN));
    assertThat(api.toString()).contains("INC-42: supplier down");

    // Released from there for the whole fleet.
    card("inventory").findElement(By.cssSelector("button[data-action='close']")).click();
    WebElement release = card("inventory").findElement(By.cssSelector("form.scope-form"));
    release.findElement(By.cssSelector("input[data-scope='fleet']")).click();
    release.findElement(By.cssSelector("input[data-field='reason']")).sendKeys("INC-42 resolved");
    release.findElement(By.cssSelector("button[data-scope-apply]")).click();
    Poll.until(LIMIT, "every instance follows the fleet again",
        () -> inventory.stream().allMatch(b -> b.state() == State.CLOSED));
    browser.waitUntil("the page to show no override",
        () -> browser.text(".fleet-panel h4").equals("No fleet override in force"));
    browser.waitUntil("the release in the fleet events", () -> browser.text(
        ".fleet-events li[data-type='FLEET_OVERRIDE_RELEASED']").contains("released by api-3: INC-42 resolved"));
  }

  @Test
  void thisInstanceStaysTheDefaultScope() {
    open(1);
    browser.waitUntil("the payments card to count the fleet",
        () -> fleetLine("payments").contains("across 3 instances"));
    card("payments").findElement(By.cssSelector("button[data-action='disable']")).click();
    WebElement form = card("payments").findElement(By.cssSelector("form.scope-form"));
    form.findElement(By.cssSelector("button[data-scope-apply]")).click();
    browser.waitUntil("this instance's card to be disabled", () -> stateOf("payments").equals("DISABLED"));
    browser.waitUntil("the fleet to count one disabled",
        () -> fleetLine("payments").startsWith("Closed 2 / Disabled 1 across 3 instances"));
    card("payments").findElement(By.cssSelector("button[data-action='close']")).click();
    card("payments").findElement(By.cssSelector("form.scope-form button[data-scope-apply]")).click();
    browser.waitUntil("this instance's card to be closed", () -> stateOf("payments").equals("CLOSED"));
  }

  private static void open(int instance) {
    driver.get(dashboards.get(instance).urlWithToken().toString());
    browser.waitUntil("the page to be live", () -> browser.text("#connection-text").equals("Live"));
  }

  private static WebElement card(String name) {
    return driver.findElement(By.cssSelector("li.card[data-kind='circuitbreaker'][data-name='" + name + "']"));
  }

  private static String stateOf(String name) {
    return card(name).getAttribute("data-state");
  }

  private static String fleetLine(String name) {
    List<WebElement> line = card(name).findElements(By.cssSelector(".fleet-line"));
    return line.isEmpty() ? "" : line.get(0).getText();
  }

  private static void screenshot(String file) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(file), driver.getScreenshotAs(OutputType.BYTES));
  }
}
