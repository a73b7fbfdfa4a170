package dev.stackfleet.ops;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium, driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code ./stackfleet test} installs). Both are named explicitly, so Selenium
 * never looks for or downloads a browser or a driver of its own.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Where screenshots go: {@code -Dstackfleet.console.screenshots=DIR}, else this module's target folder. */
    static final Path SCREENSHOTS =
            Path.of(System.getProperty("stackfleet.console.screenshots", "target/console-screenshots"));

    private static final int WIDTH = 1400;

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser start() {
        for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: apt-get install -y chromium chromium-driver"
                        + " (./stackfleet test installs them)");
            }
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
                        "--disable-dev-shm-usage",
                        "--window-size=" + WIDTH + ",1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options));
    }

    /** A screenshot of the whole page as {@code <name>.png}. */
    Path screenshot(String name) throws IOException {
        long height = (Long) ((JavascriptExecutor) driver)
                .executeScript("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.min(height + 20, 6000)));
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new Dimension(WIDTH, 1000));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
