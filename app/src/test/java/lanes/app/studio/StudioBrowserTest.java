package lanes.app.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The studio as a person uses it, in a real browser: train spiral below a test loss of 0.1, break it with the
 * learning-rate slider, train LeNet-5 on the digits and draw a digit it recognises, the lecture's demos. Each view
 * is photographed into {@code target/studio-screenshots/} (the README's pictures come from there).
 */
class StudioBrowserTest {
    static final Path SHOTS = Path.of("target", "studio-screenshots");
    static Studio studio;
    static String url;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeAll
    static void start() throws Exception {
        if (!Browser.available()) {
            System.out.println(Browser.MISSING);
        }
        Assumptions.assumeTrue(Browser.available(), Browser.MISSING);
        studio = Studio.start(new Studio.Settings("127.0.0.1", 0, Map.of(), 32, 60, List.of()));
        url = studio.url();
    }

    @AfterAll
    static void stop() {
        if (studio != null) {
            studio.close();
        }
    }

    @BeforeEach
    void open() {
        browser.open();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    private double number(String testId) {
        String t = browser.text(testId).replace(",", "").replace("%", "").strip();
        return t.isEmpty() || t.equals("-") ? Double.NaN : Double.parseDouble(t);
    }

    @Test
    void spiralTrainsBelowATestLossOfOneTenthInThePage() {
        browser.driver.get(url + "#playground");
        browser.await(10).until(d -> !browser.text("test-loss").equals("-"));
        browser.click("dataset-spiral");
        browser.click("feature-sin(x1)");
        browser.click("feature-sin(x2)");
        browser.await(10).until(d -> java.net.URLDecoder.decode(d.getCurrentUrl(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("sin(x2)") && !browser.text("test-loss").equals("-"));
        browser.click("play");
        browser.await(90).until(d -> number("test-loss") < 0.1);
        assertTrue(number("steps") > 0);
        assertTrue(number("steps-per-second") >= 0);
        browser.byTestId("show-test").click();
        browser.screenshot(SHOTS.resolve("playground.png"));
        browser.click("pause");
        assertTrue(browser.driver.getCurrentUrl().contains("dataset=spiral"), "the settings are in the address");
    }

    @Test
    void aLearningRatePastTheStableOneShowsWhyTrainingDiverged() {
        browser.driver.get(url + "#playground?dataset=spiral");
        browser.await(10).until(d -> !browser.text("test-loss").equals("-"));
        browser.click("play");
        browser.await(10).until(d -> number("steps") > 1000);
        WebElement slider = browser.byTestId("learning-rate");
        slider.click();
        slider.sendKeys(Keys.END);
        assertEquals("10", browser.text("learning-rate-value"));
        // at rate 10 the spiral's loss can take a few hundred thousand steps to pass 3x its start (539,128 steps,
        // about 6 s at 84k steps/s, in one clean-clone run): allow for a busy machine stepping several times slower
        browser.await(90).until(d -> browser.byTestId("divergence").isDisplayed());
        String notice = browser.text("divergence");
        assertTrue(notice.contains("Training diverged") && notice.contains("learning rate of 1 or lower"), notice);
        browser.screenshot(SHOTS.resolve("divergence.png"));
        slider.sendKeys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT);
        browser.await(10).until(d -> !browser.byTestId("divergence").isDisplayed());
        assertEquals("0.3", browser.text("learning-rate-value"), "a lower rate starts afresh");
    }

    @Test
    void lenet5LearnsTheDigitsAndRecognisesADrawnOne() {
        browser.driver.get(url + "#train");
        WebElement epochs = browser.byTestId("train-epochs");
        epochs.clear();
        epochs.sendKeys("2");
        browser.click("train-start");
        browser.await(240).withMessage(() -> "train-status \"" + browser.text("train-status") + "\", epoch "
                + browser.text("train-epoch") + "; the studio's threads:\n" + ThreadDump.studioThreads())
                .until(d -> browser.text("train-status").equals("done")
                || browser.text("train-status").equals("failed"));
        assertEquals("done", browser.text("train-status"));
        assertTrue(number("train-test-accuracy") > 90, browser.text("train-test-accuracy"));
        assertEquals(6, browser.driver.findElements(org.openqa.selenium.By.cssSelector("[data-testid^=filter-]"))
                .size(), "LeNet-5's six 5x5 filters");
        String worst = (String) ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "let best = null, most = -1;"
                + "for (const c of document.querySelectorAll('[data-testid^=confusion-cell-]')) {"
                + "  const [t, p] = c.dataset.testid.split('-').slice(2);"
                + "  if (t !== p && Number(c.textContent) > most) { most = Number(c.textContent); best = c.dataset.testid; }"
                + "} return best;");
        String[] cell = worst.split("-");
        browser.click(worst);
        browser.await(10).until(d -> browser.text("examples").contains("of class " + cell[2] + " predicted as "
                + cell[3]));
        assertTrue(browser.driver.findElements(org.openqa.selenium.By.cssSelector("[data-testid=example-image]"))
                .size() > 0, "the most confused cell's test images");
        WebElement pad = browser.byTestId("pad");
        new Actions(browser.driver).moveToElement(pad, 0, -70).clickAndHold().moveByOffset(2, 30)
                .moveByOffset(2, 30).moveByOffset(2, 30).moveByOffset(2, 30).release().perform();
        browser.await(10).until(d -> !browser.text("pad-predicted").equals("-"));
        assertEquals("1", browser.text("pad-predicted"), "a stroke from top to bottom is a one");
        assertTrue(browser.byTestId("pad-maps").findElements(org.openqa.selenium.By.tagName("canvas")).size() > 6,
                "the feature maps of every convolution");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1500));
        browser.screenshot(SHOTS.resolve("train.png"));
    }

    @Test
    void theLectureMarksTheStableRateAndShowsAReceptiveField() {
        browser.driver.get(url + "#lecture");
        browser.await(10).until(d -> browser.text("gd-verdict").contains("converged"));
        assertTrue(browser.text("gd-stable-limit").contains("stable below 0.2"), browser.text("gd-stable-limit"));
        WebElement rate = browser.byTestId("gd-learning-rate");
        rate.click();
        rate.sendKeys(Keys.END);
        browser.await(10).until(d -> browser.text("gd-verdict").contains("diverged"));
        rate.sendKeys(Keys.HOME);
        for (int i = 0; i < 9; i++) {
            rate.sendKeys(Keys.ARROW_RIGHT);
        }
        browser.await(10).until(d -> browser.text("gd-verdict").contains("lr 0.05"));
        new org.openqa.selenium.support.ui.Select(browser.byTestId("rf-layer")).selectByIndex(3);
        browser.await(10).until(d -> browser.text("rf-describe").contains("14 x 14 window"));
        browser.screenshot(SHOTS.resolve("lecture.png"));
    }
}
