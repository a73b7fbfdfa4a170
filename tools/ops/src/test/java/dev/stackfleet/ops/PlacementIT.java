package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.AccountPoolTable;
import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.local.ApiClient;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.LocalAws;
import dev.stackfleet.local.LocalResources;
import dev.stackfleet.local.TestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The account pool on the real flow: creates spread across local mode's three workload accounts by headroom, each
 * workflow task asks for the role of its server's account, quarantine and draining take accounts out of placement,
 * a full pool answers 503 with nothing written, a finished delete frees its account slot, and a reconcile pass leaves
 * a paused server and a quarantined account's servers alone until they are released.
 */
class PlacementIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String A = LocalResources.WORKLOAD_ACCOUNTS.get(0);
    private static final String B = LocalResources.WORKLOAD_ACCOUNTS.get(1);
    private static final String C = LocalResources.WORKLOAD_ACCOUNTS.get(2);

    private static TestEnvironment environment;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        environment = TestEnvironment.start("placement");
        dynamoDb = environment.aws().dynamoDb();
    }

    @AfterAll
    static void stop() {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void thePoolPlacesPausesAndQuarantinesThroughTheRealFlow() throws Exception {
        // WHEN three players create a server each
        List<String> ids = new ArrayList<>();
        for (String player : List.of("ann", "ben", "cat")) {
            ids.add(create(player));
        }
        for (int n = 0; n < 3; n++) {
            awaitStatus(List.of("ann", "ben", "cat").get(n), ids.get(n), "ACTIVE");
        }

        // THEN they spread across the pool by headroom (the lowest account id on a tie), and every CloudFormation
        // task of each create asked for the access role of its server's account
        assertEquals(
                List.of(A, B, C),
                List.of(account("ann", ids.get(0)), account("ben", ids.get(1)), account("cat", ids.get(2))));
        assertEquals(Map.of(A, 1L, B, 1L, C, 1L), used());
        assertRequestedRole("ben", ids.get(1), B);
        OpsRun accounts = OpsRun.against(environment, "accounts");
        assertEquals(0, accounts.exit(), accounts.err());
        assertTrue(
                accounts.out().lines().anyMatch(l -> l.startsWith(B) && l.contains("1/1000") && l.contains("yes")),
                accounts.out());

        // WHEN the operator quarantines A, and a deployment drains B
        OpsRun quarantine = OpsRun.against(environment, "quarantine", A, "--reason", "suspected credential leak");
        assertEquals(0, quarantine.exit(), quarantine.err());
        pool().register(B, LocalAws.REGION.id(), LocalResources.ACCOUNT_CAPACITY, PoolAccount.State.DRAINING);
        // THEN a new server goes to C, the one account still open, however much room A and B have
        String dan = create("dan");
        assertEquals(C, account("dan", dan));
        awaitStatus("dan", dan, "ACTIVE");
        // AND the servers of the quarantined and the draining account still answer their owners
        assertEquals(
                "ACTIVE",
                new ApiClient(environment.controlPlane().apiUrl(), "ann")
                        .get(ids.get(0))
                        .body()
                        .path("status")
                        .asText());

        // WHEN C is full as well
        pool().register(C, LocalAws.REGION.id(), 2, PoolAccount.State.OPEN);
        ApiClient eve = new ApiClient(environment.controlPlane().apiUrl(), "eve");
        ApiClient.Response refused = eve.create("{\"difficulty\": \"easy\", \"player_count\": 2}");
        // THEN the create is refused with 503 no_capacity, and nothing is written
        assertEquals(503, refused.status(), refused.body().toString());
        assertEquals("no_capacity", refused.body().path("error").asText());
        assertEquals(
                0, eve.send("GET", "/gameservers", null).body().path("items").size());
        assertEquals(java.util.Set.of(), environment.quotaSlots("eve"));
        assertEquals(Map.of(A, 1L, B, 1L, C, 2L), used());

        // WHEN the operator pauses cat's server, and the stacks of cat's and ann's servers are deleted by hand
        OpsRun pause =
                OpsRun.against(environment, "pause", ids.get(2), "--reason", "player reports lag, investigating");
        assertEquals(0, pause.exit(), pause.err());
        deleteStack(ids.get(2));
        deleteStack(ids.get(0));
        // THEN a reconcile pass leaves both alone: one is paused, the other in a quarantined account
        JsonNode held = reconcile("--dry-run");
        assertFalse(held.toString().contains(ids.get(2)), held.toString());
        assertFalse(held.toString().contains(ids.get(0)), held.toString());
        assertEquals(2, held.path("checked").path("held").asInt(), held.toString());
        // AND the operator sees why
        OpsRun servers = OpsRun.against(environment, "servers", "--by-account");
        assertTrue(
                servers.out()
                        .lines()
                        .anyMatch(l -> l.contains(ids.get(2))
                                && l.contains("ACTIVE (paused)")
                                && l.contains("player reports lag")),
                servers.out());
        assertTrue(servers.out().contains("account " + C + ": 2 servers"), servers.out());
        assertTrue(
                servers.out().contains("account " + A + " (quarantined: suspected credential leak): 1 servers"),
                servers.out());
        assertTrue(
                servers.out().lines().anyMatch(l -> l.contains(ids.get(0)) && l.contains(A + " (quarantined)")),
                servers.out());

        // WHEN both are released
        assertEquals(0, OpsRun.against(environment, "resume", ids.get(2)).exit());
        assertEquals(0, OpsRun.against(environment, "unquarantine", A).exit());
        // THEN the next pass finds both missing stacks
        JsonNode found = reconcile("--dry-run");
        assertTrue(found.toString().contains(ids.get(2)) && found.toString().contains(ids.get(0)), found.toString());
        assertEquals(0, found.path("checked").path("held").asInt(), found.toString());

        // WHEN ben's server is deleted
        new ApiClient(environment.controlPlane().apiUrl(), "ben").delete(ids.get(1));
        // THEN its account slot is freed once its stack is gone
        Await.until(DEADLINE, "B's slot freed", () -> used().get(B) == 0L);
    }

    private static String create(String player) {
        ApiClient.Response created = new ApiClient(environment.controlPlane().apiUrl(), player)
                .create("{\"difficulty\": \"easy\", \"player_count\": 2}");
        assertEquals(201, created.status(), created.body().toString());
        return created.body().path("gameserver_id").asText();
    }

    private static void awaitStatus(String player, String id, String status) {
        ApiClient client = new ApiClient(environment.controlPlane().apiUrl(), player);
        Await.until(
                DEADLINE,
                id + " " + status,
                () -> client.get(id).body().path("status").asText(),
                status::equals);
    }

    private static String account(String owner, String id) {
        return environment
                .storedItem(owner, id)
                .get("placement")
                .m()
                .get("account_id")
                .s();
    }

    private static void assertRequestedRole(String owner, String id, String account) {
        String execution =
                environment.storedItem(owner, id).get("execution_arn").s();
        try (var sfn = environment.aws().sfn()) {
            var tasks = sfn.getExecutionHistoryPaginator(r -> r.executionArn(execution)).events().stream()
                    .filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED)
                    .filter(e -> e.taskScheduledEventDetails().resource().contains("cloudformation")
                            || e.taskScheduledEventDetails().resourceType().contains("cloudformation"))
                    .toList();
            assertFalse(tasks.isEmpty());
            tasks.forEach(task -> assertEquals(
                    "arn:aws:iam::" + account + ":role/" + LocalResources.ACCESS_ROLE,
                    task.taskScheduledEventDetails().taskCredentials().roleArn()));
        }
    }

    private static AccountPoolTable pool() {
        return new AccountPoolTable(dynamoDb, LocalResources.ACCOUNT_POOL_TABLE_NAME);
    }

    private static Map<String, Long> used() {
        Map<String, Long> used = new TreeMap<>();
        pool().accounts().forEach(a -> used.put(a.accountId(), a.used()));
        return used;
    }

    private static void deleteStack(String id) {
        try (var cfn = environment.aws().cloudFormation()) {
            cfn.deleteStack(r -> r.stackName("stackfleet-" + id));
        }
    }

    private static JsonNode reconcile(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "reconcile",
                "--json",
                "--stuck-after",
                "0s",
                "--orphan-grace",
                "0s",
                "--poll-initial-seconds",
                "1",
                "--poll-max-seconds",
                "2",
                "--workload-region",
                "us-east-1"));
        for (String account : LocalResources.WORKLOAD_ACCOUNTS) {
            args.addAll(List.of("--account", account));
        }
        args.addAll(List.of(options));
        OpsRun run = OpsRun.against(environment, args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return new ObjectMapper().readTree(run.out());
    }
}
