package dev.fusebox.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for browser tests, driven through Selenium by Debian's {@code chromium} and
 * {@code chromedriver} (which the modules' builds install when missing). The paths are given, so Selenium
 * never looks for or downloads a driver of its own; the flags keep Chromium off the network (this machine
 * has none beyond loopback, and Chromium's background connections would be refused by the dozen) and give
 * it a fresh profile in a temporary directory, deleted on {@link #close()}.
 *
 * <pre>{@code
 * try (Browser browser = Browser.start(1440, 1200)) {
 *   browser.driver().get(dashboard.url().toString());
 *   browser.waitUntil("the page to be live", () -> browser.text("#connection-text").equals("Live"));
 *   browser.screenshot(Path.of("target"), "dashboard.png");
 * }
 * }</pre>
 *
 * <p>Waits poll with {@link Poll} every {@link #POLL_INTERVAL} up to {@link #DEADLINE}; a condition that
 * throws (an element not built yet) counts as not met. Not threadsafe, like the driver: one test thread
 * drives one browser.
 */
public final class Browser implements AutoCloseable {

  /** How long a wait lasts at most: generous, since the machine may be loaded. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  /** How long a wait parks between checks: each check is a round trip to the driver. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final List<String> FLAGS =
      List.of(
          "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Starts a headless Chromium with a window of the given size and a fresh profile.
   *
   * @param width the window's width in CSS pixels
   * @param height the window's height in CSS pixels
   * @return the running browser; close it to stop it and delete its profile
   * @throws UncheckedIOException if the profile directory cannot be made
   */
  public static Browser start(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("width and height must be positive, were " + width + " and " + height);
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("fusebox-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(FLAGS);
    options.addArguments("--window-size=" + width + "," + height, "--user-data-dir=" + profile);
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      deleteTree(profile);
      throw e;
    }
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new Browser(driver, profile);
  }

  /**
   * Returns the driver, for everything this class does not wrap.
   *
   * @return the Selenium driver of this browser
   */
  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Returns the rendered text of the first element matching a CSS selector.
   *
   * @param selector a CSS selector
   * @return the element's visible text
   * @throws org.openqa.selenium.NoSuchElementException if nothing matches
   */
  public String text(String selector) {
    return driver.findElement(By.cssSelector(selector)).getText();
  }

  /**
   * Returns the whole text content of the first element matching a CSS selector, including text that is
   * there for screen readers only, which {@link #text} leaves out.
   *
   * @param selector a CSS selector
   * @return the element's {@code textContent}
   */
  public String hiddenText(String selector) {
    return driver.findElement(By.cssSelector(selector)).getAttribute("textContent");
  }

  /**
   * Runs JavaScript in the page and returns its result.
   *
   * @param script the script's body; {@code return} gives the result
   * @return the result as Selenium converts it (a {@link Long}, a {@link String}, a list, ...)
   */
  public Object script(String script) {
    return driver.executeScript(script);
  }

  /**
   * Runs asynchronous JavaScript in the page and waits for it: the script calls its last argument, {@code
   * arguments[arguments.length - 1]}, with the result, within 10 seconds.
   *
   * @param script the script's body
   * @return the value the script passed to its callback
   */
  public Object asyncScript(String script) {
    return driver.executeAsyncScript(script);
  }

  /**
   * Waits until {@code condition} holds, up to {@link #DEADLINE}.
   *
   * @param what what is awaited, for the failure's message
   * @param condition checked until it returns true; a check that throws counts as false
   * @throws AssertionError if the condition does not hold in time
   */
  public void waitUntil(String what, BooleanSupplier condition) {
    waitUntil(what, condition, () -> {});
  }

  /**
   * Waits until {@code condition} holds, up to {@link #DEADLINE}, running {@code between} after each check
   * that found it false: a test that drives what the page shows (samples a dashboard on a hand-moved
   * clock) does it there.
   *
   * @param what what is awaited, for the failure's message
   * @param condition checked until it returns true; a check that throws counts as false
   * @param between run after each failed check
   * @throws AssertionError if the condition does not hold in time
   */
  public void waitUntil(String what, BooleanSupplier condition, Runnable between) {
    Objects.requireNonNull(condition, "condition must not be null");
    Poll.until(DEADLINE, POLL_INTERVAL, what, () -> holds(condition), between);
  }

  /** A condition that fails while the page is still being built counts as not met yet. */
  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Saves a screenshot of the window as {@code directory/name} (a PNG), with nothing focused, so that no
   * focus ring shows.
   *
   * @param directory where to save it; made if missing
   * @param name the file's name, such as {@code dashboard.png}
   * @return the saved file
   * @throws UncheckedIOException if the file cannot be written
   */
  public Path screenshot(Path directory, String name) {
    script("document.activeElement && document.activeElement.blur()");
    try {
      Files.createDirectories(directory);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      return Files.copy(shot.toPath(), directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Quits Chromium and its driver and deletes the profile. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
