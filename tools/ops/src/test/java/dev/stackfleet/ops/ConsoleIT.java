package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.ItemAttributes;
import dev.stackfleet.core.Release;
import dev.stackfleet.local.ApiClient;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.TestEnvironment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The ops console in a real headless Chromium against a local control plane: the fleet page lists the servers of
 * the run, a failed create's page shows the path its workflow took with the failing state highlighted and why it
 * failed, and a replay confirmed on the page brings the server to ACTIVE. The same run writes the screenshots
 * that {@code docs/operating.md} shows ({@code -Dstackfleet.console.screenshots=docs}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static TestEnvironment environment;
    private static ApiClient alice;
    private static ApiClient bob;
    private static RunningConsole console;
    private static Browser browser;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        environment = TestEnvironment.start("console");
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        bob = new ApiClient(environment.controlPlane().apiUrl(), "bob");
        console = RunningConsole.start(environment);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    @Order(1)
    void theFleetPageCountsAndListsTheServersOfTheRun() {
        // GIVEN two owners' servers, ACTIVE
        String alices = create(alice, "ACTIVE");
        String bobs = create(bob, "ACTIVE");

        // WHEN the operator opens the console
        browser.driver.get(console.url.toString());

        // THEN the counts by status and by account include them
        assertEquals("2", cell("#status-counts td[data-status=ACTIVE]"));
        assertEquals("0", cell("#status-counts td[data-status=CREATE_FAILED]"));
        assertEquals(2, serversInAccounts(), cell("#account-counts"));
        // AND nothing needs attention
        assertEquals("none", cell("#servers"));

        // WHEN the operator opens the ACTIVE servers
        click(By.cssSelector("#status-counts td[data-status=ACTIVE] a"));
        // THEN both are listed, each with its owner
        assertEquals(
                List.of(bobs, alices).stream().sorted().toList(),
                listedIds().stream().sorted().toList());
        assertTrue(row(alices).contains("alice"), row(alices));

        // WHEN the operator searches for an owner
        search("bob");
        // THEN only that owner's servers are listed
        assertEquals(List.of(bobs), listedIds());
    }

    @Test
    @Order(2)
    void aFailedCreateShowsItsPathAndCauseAndAReplayFromThePageBringsItToActive() throws Exception {
        // GIVEN the operator watches the fleet page
        browser.driver.get(console.url.toString());
        assertEquals("none", cell("#servers"));

        // WHEN a bad template release makes a create fail
        environment.releaseBrokenGameServerTemplate();
        String id = create(alice, "CREATE_FAILED");

        // THEN the page, without a reload, shows the failed server first among those that need attention
        Await.until(DEADLINE, id + " on the live fleet page", () -> !listedIds().isEmpty());
        assertEquals(id, listedIds().get(0));
        assertTrue(row(id).contains("CREATE_FAILED"), row(id));
        assertEquals("1", cell("#status-counts td[data-status=CREATE_FAILED]"));
        browser.screenshot("console-fleet");

        // WHEN the operator opens the server
        click(By.linkText(id));
        // THEN the failed create is chosen, the graph highlights the state that failed on the path taken
        assertTrue(cell("#executions tr.chosen").contains(id + "-create-g1"), cell("#executions tr.chosen"));
        WebElement failing = browser.driver.findElement(By.cssSelector("#graph g.state.failing"));
        assertEquals("CreateStack", failing.getAttribute("data-state"));
        assertTrue(
                browser.driver
                                .findElements(By.cssSelector("#graph g.state.visited"))
                                .size()
                        > 5,
                "the path taken is drawn");
        assertTrue(
                browser.driver
                        .findElement(By.cssSelector("#graph g.state[data-state=FailProvision]"))
                        .getAttribute("class")
                        .contains("visited"),
                "the path ends at FailProvision");
        // AND the failure names the state and the cause
        String failure = cell("#failure");
        assertTrue(failure.contains("CreateStack"), failure);
        assertTrue(failure.contains(TestEnvironment.UNPASSED_PARAMETER), failure);
        assertTrue(cell("#failing-state").contains(TestEnvironment.UNPASSED_PARAMETER), cell("#failing-state"));
        // AND redrive is not offered for a failure the workflow recorded; replay is
        assertTrue(cell("#redrive-offer").contains("the workflow recorded this failure"), cell("#redrive-offer"));
        assertTrue(browser.driver.findElements(By.id("redrive")).isEmpty(), "no redrive button");
        browser.screenshot("console-server");

        // AND the server's release is the broken one, which a plain replay would run again
        String broken =
                environment.storedItem("alice", id).get(ItemAttributes.RELEASE).s();
        assertTrue(cell("#server-state").contains(broken + "/- *"), cell("#server-state"));
        assertTrue(cell("#replay-offer").contains("on its release " + broken), cell("#replay-offer"));

        // WHEN the template is repaired (a new current release) and the operator asks for a replay on it
        Release repaired = environment.restoreGameServerTemplate();
        browser.driver.navigate().refresh();
        browser.driver.findElement(By.id("replay-current")).click();
        // THEN the confirmation shows the calls it will make, and nothing has been written or started yet
        String plan = cell("#plan");
        assertTrue(plan.contains("dynamodb:UpdateItem pointing the server at release " + repaired.version()), plan);
        assertTrue(plan.contains("states:StartExecution"), plan);
        assertTrue(plan.contains(id + "-create-g1-r1"), plan);
        assertTrue(plan.contains("\"release\" : \"" + repaired.version() + "\""), plan);
        assertEquals("CREATE_FAILED", alice.get(id).body().path("status").asText());
        assertEquals(
                broken,
                environment.storedItem("alice", id).get(ItemAttributes.RELEASE).s());

        // WHEN the operator confirms
        browser.driver.findElement(By.id("confirm")).click();
        assertTrue(browser.driver.findElements(By.id("error")).isEmpty(), cell("main") + console.err());
        // THEN the replay runs and the server becomes ACTIVE
        Await.until(
                DEADLINE,
                id + " ACTIVE after the replay",
                () -> alice.get(id).body().path("status").asText(),
                "ACTIVE"::equals);
        // AND its page, on the replay, shows it ACTIVE with the stack's events beside the state that created it
        browser.driver.navigate().refresh();
        assertTrue(cell("#executions tr.chosen").contains(id + "-create-g1-r1"), cell("#executions tr.chosen"));
        assertTrue(cell("#server-state").contains("ACTIVE"), cell("#server-state"));
        assertTrue(
                cell("#server-state").contains(repaired.version() + "/" + repaired.version()), cell("#server-state"));
        assertTrue(browser.driver
                .findElements(By.cssSelector("#graph g.state.failing"))
                .isEmpty());
        String createStack = browser.driver
                .findElement(By.xpath("//table[@id='states']//tr[td[1]='CreateStack']"))
                .getText();
        assertTrue(createStack.contains("CREATE_COMPLETE"), createStack);
    }

    private static String create(ApiClient owner, String status) {
        String id = owner.create("{\"difficulty\": \"normal\", \"player_count\": 3}")
                .body()
                .path("gameserver_id")
                .asText();
        Await.until(
                DEADLINE,
                id + " " + status,
                () -> owner.get(id).body().path("status").asText(),
                status::equals);
        return id;
    }

    private static void search(String text) {
        WebElement box = browser.driver.findElement(By.id("search"));
        box.sendKeys(text);
        box.submit();
        Await.until(
                DEADLINE,
                "the search's results",
                () -> browser.driver.getCurrentUrl().contains("owner="));
    }

    /**
     * The text of an element, read in one script call: the fleet page replaces its live part every few seconds,
     * and an element found before a replacement is stale after it.
     */
    private static String cell(String css) {
        Object text = browser.driver.executeScript(
                "const e = document.querySelector(arguments[0]); return e && e.innerText.trim();", css);
        if (text == null) {
            throw new AssertionError("no " + css + " on " + browser.driver.getCurrentUrl());
        }
        return text.toString();
    }

    private static String row(String id) {
        return cell("#servers tr[data-id='" + id + "']");
    }

    /** Clicks an element, finding it again if the live refresh replaced it in between. */
    private static void click(By element) {
        for (int attempt = 1; ; attempt++) {
            try {
                browser.driver.findElement(element).click();
                return;
            } catch (StaleElementReferenceException replaced) {
                if (attempt == 3) {
                    throw replaced;
                }
            }
        }
    }

    /** The servers the account table counts, over all accounts. */
    private static int serversInAccounts() {
        return ((List<?>) browser.driver.executeScript(
                        "return [...document.querySelectorAll('#account-counts td.used')].map(c => c.innerText);"))
                .stream()
                        .mapToInt(used -> Integer.parseInt(used.toString().split(" / ", -1)[0]))
                        .sum();
    }

    @SuppressWarnings("unchecked")
    private static List<String> listedIds() {
        return (List<String>) browser.driver.executeScript(
                "return [...document.querySelectorAll('#servers tr[data-id]')].map(r => r.dataset.id);");
    }
}
