package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.local.ApiClient;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.LocalControlPlane;
import dev.stackfleet.local.TestEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * {@code ./stackfleet ops reconcile} against the real workflows of a local control plane whose stream poller is
 * off, so that every stream record is as good as lost: a dry run reports, a pass restarts the lost create, an
 * orphan stack is listed and deleted only with {@code --delete-orphans --yes}.
 */
class ReconcileCommandIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String ORPHAN = "gs-orphanorphanorphan22";
    /** Judge at once, with local mode's poll interval (the stream Lambda's there). */
    private static final String[] NOW = {
        "--stuck-after",
        "0s",
        "--orphan-grace",
        "0s",
        "--poll-initial-seconds",
        "1",
        "--poll-max-seconds",
        "2",
        "--workload-region",
        "us-east-1",
        "--account",
        "123456789012"
    };

    private static TestEnvironment environment;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        environment = TestEnvironment.start("reconcile-command", new LocalControlPlane.Options(0, false, null));
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void aPassRestartsTheLostCreateAndDeletesOrphansOnlyWhenAsked() throws Exception {
        // GIVEN a create whose stream record was lost, and a stack whose item was lost
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 2}")
                .body()
                .path("gameserver_id")
                .asText();
        try (var cfn = environment.aws().cloudFormation()) {
            cfn.createStack(r -> r.stackName("stackfleet-" + ORPHAN)
                    .templateBody("{\"Resources\": {\"H\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}}}")
                    .tags(
                            Tag.builder()
                                    .key("stackfleet:gameserver-id")
                                    .value(ORPHAN)
                                    .build(),
                            Tag.builder().key("stackfleet:owner").value("bob").build()));
        }

        // WHEN the operator asks what a pass would do
        OpsRun dryRun = ops("reconcile", "--dry-run");
        // THEN both are listed with the action that would be taken, and nothing changes
        assertEquals(0, dryRun.exit(), dryRun.err());
        assertTrue(
                dryRun.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("STUCK")
                                && l.contains(id)
                                && l.contains("would start " + id + "-create-g1")),
                dryRun.out());
        assertTrue(
                dryRun.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("ORPHAN") && l.contains(ORPHAN) && l.contains("reported")),
                dryRun.out());
        assertTrue(dryRun.err().contains("dry run: 2 finding(s)"), dryRun.err());
        assertEquals("CREATE_PENDING", alice.get(id).body().path("status").asText());

        // WHEN a pass runs
        OpsRun pass = ops("reconcile", "--json");
        // THEN the create is started under its own name and the orphan is only reported
        assertEquals(0, pass.exit(), pass.err());
        JsonNode report = new ObjectMapper().readTree(pass.out());
        assertEquals("started " + id + "-create-g1", action(report, id));
        assertTrue(action(report, ORPHAN).startsWith("reported"), report.toString());
        assertTrue(
                pass.err().contains("1 orphan stack(s) reported; delete them with --delete-orphans --yes"), pass.err());
        Await.until(
                DEADLINE,
                id + " ACTIVE",
                () -> alice.get(id).body().path("status").asText(),
                "ACTIVE"::equals);

        // WHEN the operator asks to delete orphans without confirming
        OpsRun preview = ops("reconcile", "--delete-orphans");
        // THEN the pass only shows the deletion it would start
        assertEquals(0, preview.exit(), preview.err());
        assertTrue(
                preview.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("ORPHAN")
                                && l.contains(ORPHAN)
                                && l.contains("would start " + ORPHAN + "-delete-g1")),
                preview.out());
        assertTrue(
                preview.err()
                        .contains("1 orphan stack(s) would be deleted; delete them with --delete-orphans" + " --yes"),
                preview.err());
        assertTrue(liveStack("stackfleet-" + ORPHAN) != null);

        // WHEN the operator deletes orphans
        OpsRun delete = ops("reconcile", "--delete-orphans", "--yes");
        // THEN the orphan's deprovision runs and its stack goes; the healthy server is left alone
        assertEquals(0, delete.exit(), delete.err());
        assertTrue(
                delete.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("ORPHAN")
                                && l.contains(ORPHAN)
                                && l.contains("started " + ORPHAN + "-delete-g1")),
                delete.out());
        assertTrue(delete.out().lines().noneMatch(l -> l.contains(id)), delete.out());
        Await.until(DEADLINE, "orphan stack deleted", () -> liveStack("stackfleet-" + ORPHAN) == null);
        assertEquals("ACTIVE", alice.get(id).body().path("status").asText());
    }

    @Test
    void yesWithoutDeleteOrphansIsAUsageError() {
        OpsRun run = ops("reconcile", "--yes");

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--yes confirms --delete-orphans"), run.err());
    }

    private static String action(JsonNode report, String id) {
        for (JsonNode finding : report.path("findings")) {
            if (id.equals(finding.path("gameServerId").asText())) {
                return finding.path("action").asText();
            }
        }
        throw new AssertionError("no finding for " + id + " in " + report);
    }

    private static Stack liveStack(String name) {
        try (var cfn = environment.aws().cloudFormation()) {
            return cfn.describeStacksPaginator(r -> {}).stacks().stream()
                    .filter(s -> s.stackName().equals(name))
                    .findFirst()
                    .orElse(null);
        }
    }

    private static OpsRun ops(String... args) {
        String[] all = new String[args.length + NOW.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(NOW, 0, all, args.length, NOW.length);
        return OpsRun.against(environment, all);
    }
}
