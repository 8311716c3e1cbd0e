package lanes.app.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium through Debian's chromedriver, offline (no Selenium Manager, no download):
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, or {@code LANES_CHROMIUM} and
 * {@code LANES_CHROMEDRIVER}. A failed test leaves a screenshot under {@code target/studio-failures/}.
 */
final class Browser implements AfterTestExecutionCallback {
    static final Path CHROMIUM = Path.of(env("LANES_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(env("LANES_CHROMEDRIVER", "/usr/bin/chromedriver"));
    /** The one line a machine without the browser prints. */
    static final String MISSING = "Studio browser tests skipped: no " + CHROMIUM + " or " + DRIVER + "; install "
            + "them with: sudo apt-get install chromium chromium-driver";

    WebDriver driver;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    }

    void open(String... more) {
        ChromeOptions o = new ChromeOptions();
        o.addArguments(more);
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + tempDir());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("lanes-chromium-").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void close() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    /**
     * The element with this {@code data-testid}, waited for up to 10 s: a view renders after its scripts and
     * fetches, and a test that looks the moment {@code driver.get} returns races it (a clean-clone CI run on a
     * busy machine found no "train-epochs" 3 s after opening #train, with the field on screen by the time of the
     * failure's screenshot).
     */
    WebElement byTestId(String id) {
        By selector = By.cssSelector("[data-testid=\"" + id + "\"]");
        return await(10).withMessage(() -> "no element with data-testid \"" + id + "\" within 10 s")
                .until(d -> d.findElements(selector).stream().findFirst().orElse(null));
    }

    void click(String testId) {
        byTestId(testId).click();
    }

    String text(String testId) {
        return byTestId(testId).getText();
    }

    WebDriverWait await(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
    }

    /** Saves the page as a PNG. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException("screenshot " + file + ": " + e, e);
        }
    }

    // before @AfterEach closes the browser
    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (driver != null && context.getExecutionException().isPresent()) {
            Path file = Path.of("target", "studio-failures", context.getRequiredTestMethod().getName() + ".png");
            screenshot(file);
            System.err.println("Screenshot of the failed page: " + file.toAbsolutePath());
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
