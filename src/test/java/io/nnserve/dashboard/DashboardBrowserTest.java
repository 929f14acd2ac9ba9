package io.nnserve.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.ClassUtils;
import org.springframework.util.FileSystemUtils;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's chromedriver
 * (both named explicitly, so Selenium Manager never looks for a browser to download). Starts a job from the page,
 * watches the loss curve gain points while the job runs, predicts a row of the dataset with the new model, and
 * saves a screenshot of the page to docs/dashboard.png for the README. Then, on more jobs than one page holds, pages
 * the jobs table, and refuses a number the browser cannot read before anything is sent.
 *
 * <p>Tagged {@code browser}: excluded from the plain build, run by {@code ./mvnw -B verify -Pbrowser} after
 * {@code apt-get install -y chromium chromium-driver}.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "nnserve.security.api-keys=" + DashboardBrowserTest.KEY + ":train+predict")
class DashboardBrowserTest {

    /** The service requires this key, so every request of the page, the event stream included, must carry it. */
    static final String KEY = "dashboard-browser-test-key";

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOT = Path.of("docs", "dashboard.png");

    private static Path profile;
    private static ChromeDriver driver;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install -y chromium)").canRead();
        assertThat(Files.isExecutable(Path.of(CHROMEDRIVER))).as("Debian's chromedriver (apt-get install -y chromium-driver)").isTrue();
        profile = Files.createTempDirectory("nnserve-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=1440,1000", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            FileSystemUtils.deleteRecursively(profile);
        }
    }

    @Test
    @Order(1)
    void startsAJobWatchesTheCurveGrowAndPredicts() throws IOException {
        driver.get("http://localhost:" + port + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

        // Without a key the page says what is missing; with it (saved in the browser) the lists load. (Until the
        // service has API keys, which arrive with io.nnserve.system.SecurityProperties, the key is sent unchecked.)
        if (ClassUtils.isPresent("io.nnserve.system.SecurityProperties", null)) {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("datasets-error"), "API key"));
        }
        // A wrong key is not announced as saved and working: the service's 401 says otherwise.
        type("api-key", "not-the-key");
        driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-state"), "the service refused it"));
        assertThat(driver.findElements(By.cssSelector("#datasets-table td.empty"))).as("no 'No datasets yet.' under a 401").isEmpty();
        type("api-key", KEY);
        driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#train-dataset option[value=digits]")));
        assertThat(driver.findElement(By.id("datasets-error")).getText()).isEmpty();
        assertThat(js("return localStorage.getItem('nnserve.apiKey');")).isEqualTo(KEY);

        // Record every value the loss chart's point count takes, so growth is seen however fast the job runs.
        js("window.__lossCounts = [];"
                + "new MutationObserver(() => window.__lossCounts.push(Number(document.getElementById('loss-chart')"
                + ".dataset.points))).observe(document.getElementById('loss-chart'), {attributes: true,"
                + " attributeFilter: ['data-points']});");

        new Select(driver.findElement(By.id("train-dataset"))).selectByValue("digits");
        // About 10,000 small iterations (100 epochs of 1,617 training rows in batches of 16): seconds even on an
        // idle machine, long enough for the page to show the curve part-way.
        type("train-hiddenSize", "100");
        type("train-epochs", "100");
        type("train-batchSize", "16");
        new Select(driver.findElement(By.id("train-updateRule"))).selectByValue("adam");
        new Select(driver.findElement(By.id("train-preprocessing"))).selectByValue("standardize");
        type("train-seed", "7");
        driver.findElement(By.id("train-button")).click();

        WebElement status = driver.findElement(By.id("job-status"));
        WebDriverWait training = new WebDriverWait(driver, Duration.ofMinutes(3));
        training.until(d -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status.getText()));
        assertThat(driver.findElement(By.id("watch-error")).getText()).isEmpty();
        assertThat(status.getText()).isEqualTo("SUCCEEDED");

        List<Long> counts = counts();
        long finalPoints = Long.parseLong(driver.findElement(By.id("loss-chart")).getDomAttribute("data-points"));
        String iterations = driver.findElement(By.id("job-iteration")).getText(); // "N / N"
        long total = Long.parseLong(iterations.substring(iterations.indexOf('/') + 1).trim());
        assertThat(total).as("100 epochs of about 100 minibatches").isGreaterThan(9000);
        assertThat(finalPoints).as("one point per iteration").isEqualTo(total);
        assertThat(counts.stream().filter(c -> c > 0 && c < total).distinct().count())
                .as("the curve showed partial states while the job ran: %s", counts).isGreaterThanOrEqualTo(2);
        assertThat(counts.stream().filter(c -> c > 0).toList()).as("the curve only grows").isSorted();
        assertThat(driver.findElements(By.cssSelector("#epochs-table tbody tr"))).hasSize(100);

        // The finished job opens its model card and the prediction form with row 0 of the dataset.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("model-card"), "64 → 100 ReLU → 10"));
        assertThat(driver.findElement(By.id("model-card")).getDomProperty("textContent")).contains("digits", "standardize", "adam");
        wait.until(d -> !d.findElement(By.id("predict-values")).getDomProperty("value").isBlank());
        driver.findElement(By.id("predict-row")).clear();
        type("predict-row", "5");
        driver.findElement(By.id("predict-load")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("row-note"), "Row 5 of digits"));
        driver.findElement(By.id("predict-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("prediction-result")));

        String predicted = driver.findElement(By.id("predicted-class")).getText();
        assertThat(predicted).matches("[0-9]");
        List<WebElement> bars = driver.findElements(By.cssSelector("#probability-bars li"));
        assertThat(bars).hasSize(10);
        double sum = 0;
        for (WebElement bar : bars) {
            sum += Double.parseDouble(bar.findElement(By.className("p")).getText().replace("%", "").trim());
        }
        assertThat(sum).as("probabilities in percent").isCloseTo(100.0, within(0.6));
        assertThat(driver.findElement(By.cssSelector("#probability-bars li.best .name")).getText()).isEqualTo(predicted);
        assertThat(driver.findElement(By.id("predict-image")).isDisplayed()).as("8x8 rows drawn as images").isTrue();
        assertThat(driver.findElement(By.id("true-label")).getText()).contains("row 5 is labelled");

        saveScreenshot();

        // A row refused before it is sent leaves no result of the row before under its error.
        type("predict-values", "1, 2, x");
        driver.findElement(By.id("predict-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("predict-error"), "Value 3 is not a number"));
        assertThat(driver.findElement(By.id("prediction-result")).isDisplayed()).as("the old prediction is hidden").isFalse();

        // The ended job is deleted from the page, after a confirmation; the list no longer has it
        String jobId = driver.findElement(By.id("watch-job")).getText();
        assertThat(driver.findElements(By.cssSelector("#jobs-table td[title='" + jobId + "']"))).hasSize(1);
        driver.findElement(By.id("watch-delete")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("watch-empty")));
        wait.until(d -> d.findElements(By.cssSelector("#jobs-table td[title='" + jobId + "']")).isEmpty());
        assertThat(driver.findElement(By.id("watch-error")).getText()).isEmpty();
        assertThat(severeBrowserLogs()).isEmpty();
    }

    @Test
    @Order(2)
    void pagesTheJobsAndRefusesANumberTheBrowserCannotRead() throws Exception {
        // More jobs than a page of 20: tiny ones (one epoch of iris, four hidden units) that end in milliseconds.
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 23; i++) {
            HttpResponse<String> queued = http.send(HttpRequest.newBuilder(URI.create(base() + "train"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"datasetId\": \"iris\", \"epochs\": 1, \"hiddenSize\": 4}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        }
        long total = jobTotal(http);
        assertThat(total).isGreaterThan(20);

        driver.get(base());
        js("localStorage.setItem('nnserve.apiKey', '" + KEY + "');");
        driver.get(base());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-range"), "1–20 of " + total));
        Set<String> newest = jobRowIds();
        assertThat(newest).hasSize(20);
        assertThat(driver.findElement(By.id("jobs-newer")).isEnabled()).isFalse();

        driver.findElement(By.id("jobs-older")).click();
        long lastShown = Math.min(40, total);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-range"), "21–" + lastShown + " of " + total));
        Set<String> older = jobRowIds();
        assertThat(older).as("the next 20 jobs, none of the first page's").hasSize((int) (lastShown - 20)).doesNotContainAnyElementsOf(newest);
        assertThat(driver.findElement(By.id("jobs-older")).isEnabled()).isEqualTo(total > 40);
        driver.findElement(By.id("jobs-newer")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-range"), "1–20 of " + total));

        // "1e" in a type=number field has the value '' (badInput): refused on the field, and nothing is queued.
        new Select(driver.findElement(By.id("train-dataset"))).selectByValue("iris");
        type("train-epochs", "1");
        type("train-learningRate", "1e");
        driver.findElement(By.id("train-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("train-learningRate-error")));
        assertThat(driver.findElement(By.id("train-learningRate-error")).getText()).contains("not a number");
        assertThat(driver.findElement(By.id("train-learningRate")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElement(By.id("train-error")).getText()).contains("learningRate");
        Thread.sleep(500); // a request, had one been sent, would have been answered by now
        assertThat(jobTotal(http)).as("no job was submitted").isEqualTo(total);
        assertThat(driver.findElement(By.id("notice")).getText()).doesNotContain("queued");

        // Forget takes what the key loaded off the page, and the empty tables do not claim there is nothing.
        driver.findElement(By.id("key-forget")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-error"), "API key"));
        assertThat(driver.findElements(By.cssSelector("#jobs-table tbody tr"))).isEmpty();
        assertThat(driver.findElement(By.id("jobs-pager")).isDisplayed()).isFalse();
        assertThat(js("return localStorage.getItem('nnserve.apiKey');")).isNull();
        assertThat(severeBrowserLogs()).isEmpty();
    }

    private String base() {
        return "http://localhost:" + port + "/";
    }

    private long jobTotal(HttpClient http) throws IOException, InterruptedException {
        String page = http.send(HttpRequest.newBuilder(URI.create(base() + "jobs?size=1"))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher total = Pattern.compile("\"total\":(\\d+)").matcher(page);
        assertThat(total.find()).as(page).isTrue();
        return Long.parseLong(total.group(1));
    }

    private Set<String> jobRowIds() {
        Set<String> ids = new HashSet<>();
        for (WebElement row : driver.findElements(By.cssSelector("#jobs-table tbody tr[data-id]"))) {
            ids.add(row.getDomAttribute("data-id"));
        }
        return ids;
    }

    private void saveScreenshot() throws IOException {
        driver.findElement(By.id("loss-log")).click(); // the README shows the loss on a log scale
        js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        long height = ((Number) js("return document.documentElement.scrollHeight;")).longValue();
        driver.manage().window().setSize(new Dimension(1440, (int) Math.min(2400, height + 140)));
        js("window.dispatchEvent(new Event('resize'));");
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
    }

    /** Script errors and failed loads, but for the 401s the page was meant to meet before its key was saved. */
    private List<String> severeBrowserLogs() {
        List<String> severe = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !entry.getMessage().contains("status of 401")) {
                severe.add(entry.getMessage());
            }
        }
        return severe;
    }

    @SuppressWarnings("unchecked")
    private List<Long> counts() {
        List<Object> raw = (List<Object>) js("return window.__lossCounts;");
        return raw.stream().map(o -> ((Number) o).longValue()).toList();
    }

    private void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }
}
