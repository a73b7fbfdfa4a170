package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.Emulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The ops command line end to end against the emulator: a real table with the {@code by-status} index, real
 * executions of a small workflow (failures recorded through a Fail state, failures outside the Catch paths,
 * an aborted execution, successes), a failed stack in a second (workload) account read through an assumed
 * read-only role. RedriveExecution, which the emulator lacks, is answered by {@link SfnProxy} with recorded responses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsIT {

    private static final Region REGION = Region.US_EAST_1;
    private static final String TABLE = "gameservers";
    private static final String WORKLOAD_ACCOUNT = "222222222222";
    private static final String WORKLOAD_ROLE = "arn:aws:iam::" + WORKLOAD_ACCOUNT + ":role/stackfleet-workload-access";
    /** The template release every item of the fleet wants. */
    private static final String RELEASE = "3f9a2c1d4b5e";

    private static final String OBSERVER_ROLE =
            "arn:aws:iam::" + WORKLOAD_ACCOUNT + ":role/stackfleet-workload-observer";
    /** A reader role of the operator's own choosing, for {@code --stack-reader-role}. */
    private static final String AUDITOR = "stackfleet-auditor";

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    static final String ALICE = "gs-aaaaaaaaaaaaaaaaaaaa";
    static final String BOB = "gs-bbbbbbbbbbbbbbbbbbbb";
    static final String CAROL = "gs-cccccccccccccccccccc";
    static final String DAVE = "gs-dddddddddddddddddddd";
    static final String RITA = "gs-rrrrrrrrrrrrrrrrrrrr";
    static final String ERIN = "gs-eeeeeeeeeeeeeeeeeeee";
    static final String GINA = "gs-gggggggggggggggggggg";

    private Emulator emulator;
    private SfnProxy proxy;
    private DynamoDbClient dynamo;
    private SfnClient sfn;
    private String provision;
    private String deprovision;
    private final Instant now = Instant.now();

    @BeforeAll
    void startEmulatorAndCreateTheFleet() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        emulator = Emulator.start(Path.of(System.getProperty("stackfleet.python")), Path.of("target/emulator.log"));
        proxy = new SfnProxy(emulator.endpoint());
        dynamo = DynamoDbClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(REGION)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        sfn = SfnClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(REGION)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        createTable();
        provision = createStateMachine("stackfleet-provision");
        deprovision = createStateMachine("stackfleet-deprovision");
        createFailedStackInTheWorkloadAccount("stackfleet-" + BOB);

        put(item("alice", ALICE, "ACTIVE", 1, 1L, "easy", Duration.ofMinutes(5), null, null));
        put(item(
                "bob",
                BOB,
                "UPDATE_FAILED",
                2,
                1L,
                "broken",
                Duration.ofMinutes(10),
                "the stack could not be read",
                arn(provision, BOB + "-update-g2")));
        put(item("carol", CAROL, "CREATE_FAILED", 1, null, "easy", Duration.ofDays(3), "quota", null));
        put(item(
                "dave",
                DAVE,
                "UPDATE_FAILED",
                3,
                1L,
                "easy",
                Duration.ofMinutes(20),
                "old failure",
                arn(provision, DAVE + "-update-g2")));
        put(item(
                "rita",
                RITA,
                "UPDATE_FAILED",
                2,
                1L,
                "broken",
                Duration.ofMinutes(15),
                "the stack could not be read",
                arn(provision, RITA + "-update-g2")));
        put(item(
                "erin",
                ERIN,
                "UPDATING",
                2,
                1L,
                "uncaught",
                Duration.ofMinutes(12),
                null,
                arn(provision, ERIN + "-update-g2-r1")));
        put(item(
                "gina",
                GINA,
                "CREATING",
                1,
                null,
                "slow",
                Duration.ofMinutes(8),
                null,
                arn(provision, GINA + "-create-g1")));

        List<String> started = new ArrayList<>();
        started.add(start(provision, ALICE + "-create-g1", input("alice", ALICE, "create", 1, "easy")));
        started.add(start(provision, BOB + "-create-g1", input("bob", BOB, "create", 1, "easy")));
        started.add(start(provision, BOB + "-update-g2", input("bob", BOB, "update", 2, "broken")));
        started.add(start(provision, RITA + "-create-g1", input("rita", RITA, "create", 1, "easy")));
        started.add(start(provision, RITA + "-update-g2", input("rita", RITA, "update", 2, "broken")));
        started.add(start(provision, DAVE + "-update-g2", input("dave", DAVE, "update", 2, "uncaught")));
        started.add(start(provision, ERIN + "-create-g1", input("erin", ERIN, "create", 1, "easy")));
        started.add(start(provision, ERIN + "-update-g2", input("erin", ERIN, "update", 2, "uncaught")));
        started.add(start(provision, ERIN + "-update-g2-r1", input("erin", ERIN, "update", 2, "uncaught")));
        String aborted = start(provision, GINA + "-create-g1", input("gina", GINA, "create", 1, "slow"));
        sfn.stopExecution(b -> b.executionArn(aborted).error("Operator").cause("stopped by the test"));
        started.add(aborted);
        started.forEach(this::awaitFinished);
    }

    @AfterAll
    void stopEmulator() {
        if (proxy != null) {
            proxy.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void serversByStatusUseTheIndexNewestFirst() {
        Run run = ops("servers", "--status", "UPDATE_FAILED");

        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of(BOB, RITA, DAVE), idsInOrder(run.out(), BOB, RITA, DAVE));
        assertFalse(run.out().contains(ALICE));
        assertTrue(run.out().contains("2/1 *"), run.out());
        assertFalse(run.err().contains("scanned"), run.err());
    }

    @Test
    void failedServersSinceADayLeaveOlderFailuresOut() {
        Run run = ops("servers", "--failed", "--since", "1d");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains(BOB) && run.out().contains(DAVE), run.out());
        assertFalse(run.out().contains(CAROL), run.out());
    }

    @Test
    void serversOfOneOwnerAsJson() {
        Run run = ops("servers", "--owner", "alice", "--json");

        JsonNode servers = Json.parse(run.out(), "output");
        assertEquals(1, servers.size());
        assertEquals(ALICE, servers.get(0).get("gameServerId").asText());
        assertEquals("ACTIVE", servers.get(0).get("status").asText());
        assertEquals("us-east-1", servers.get(0).get("placement").get("region").asText());
    }

    @Test
    void allServersAreAScanAndSaySo() {
        Run run = ops("servers");

        assertEquals(0, run.exit());
        for (String id : List.of(ALICE, BOB, CAROL, DAVE, RITA)) {
            assertTrue(run.out().contains(id), run.out());
        }
        assertTrue(run.err().contains("whole table gameservers is scanned"), run.err());
    }

    @Test
    void executionsOfAServerNewestFirstWithoutKnowingItsOwner() {
        Run run = ops("executions", BOB);

        assertEquals(0, run.exit(), run.err());
        assertEquals(
                List.of(BOB + "-update-g2", BOB + "-create-g1"),
                idsInOrder(run.out(), BOB + "-update-g2", BOB + "-create-g1"));
        assertTrue(run.out().contains("owner bob"), run.out());
        assertTrue(
                run.out()
                        .lines()
                        .anyMatch(l -> l.startsWith(BOB + "-update-g2")
                                && l.contains("FAILED")
                                && l.contains("StackUpdateFailed")),
                run.out());
        assertFalse(run.err().contains("scanned"), run.err());
    }

    @Test
    void historySaysWhyItFailedWithTheWorkloadAccountsStack() {
        Run run = ops("history", BOB);

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("execution  " + arn(provision, BOB + "-update-g2")), run.out());
        assertTrue(
                run.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("DescribeStack")
                                && l.contains("Task")
                                && l.contains("2")
                                && l.contains("error cloudformation")),
                run.out());
        assertTrue(run.out().contains("error   StackUpdateFailed: the stack could not be read"), run.out());
        assertTrue(run.out().contains("task    cloudformation."), run.out());
        assertTrue(
                run.out()
                        .contains("stack stackfleet-" + BOB + " in account " + WORKLOAD_ACCOUNT + " us-east-1" + " (as "
                                + OBSERVER_ROLE + ")"),
                run.out());
        assertTrue(run.out().contains("status  CREATE_IN_PROGRESS"), run.out());
        assertTrue(
                run.out()
                        .contains("next     the workflow recorded this failure (StackFailed: StackUpdateFailed)"
                                + " and ended; redrive would only re-run its Fail state: fix the cause, then ./stackfleet ops replay "
                                + BOB),
                run.out());
    }

    @Test
    void historyOfAFailureOutsideTheCatchPathsSuggestsRedrive() {
        Run run = ops("history", ERIN);

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("execution  " + arn(provision, ERIN + "-update-g2-r1")), run.out());
        assertTrue(
                run.out()
                        .contains("next     fix the cause, then ./stackfleet ops redrive "
                                + arn(provision, ERIN + "-update-g2-r1")),
                run.out());
    }

    @Test
    void historyAsJson() {
        Run run = ops("history", arn(provision, BOB + "-update-g2"), "--json");

        JsonNode history = Json.parse(run.out(), "output");
        assertEquals("FAILED", history.get("execution").get("status").asText());
        assertEquals("DescribeStack", history.get("failure").get("state").asText());
        assertEquals(2, history.get("failure").get("attempts").asInt());
        assertEquals(WORKLOAD_ACCOUNT, history.get("stack").get("accountId").asText());
        assertEquals(OBSERVER_ROLE, history.get("stack").get("roleArn").asText());
        assertEquals("CREATE_IN_PROGRESS", history.get("stack").get("status").asText());
        assertTrue(history.get("stack").get("events").size() > 0);
    }

    @Test
    void historyReadsTheStackAsTheReaderRoleTheOperatorNames() {
        Run run = ops("history", BOB, "--stack-reader-role", AUDITOR, "--json");

        assertEquals(0, run.exit(), run.err());
        JsonNode stack = Json.parse(run.out(), "output").get("stack");
        assertEquals(
                "arn:aws:iam::" + WORKLOAD_ACCOUNT + ":role/" + AUDITOR,
                stack.get("roleArn").asText());
        assertEquals("CREATE_IN_PROGRESS", stack.get("status").asText());
        assertTrue(stack.get("unavailable").isNull(), stack.toString());
    }

    @Test
    void replayStartsTheNextReplayWithTheStreamsInput() {
        Run first = ops("replay", RITA);

        assertEquals(0, first.exit(), first.err());
        String replayArn = arn(provision, RITA + "-update-g2-r1");
        assertTrue(first.out().contains("started  " + replayArn), first.out());
        DescribeExecutionResponse replay = awaitFinished(replayArn);
        JsonNode input = Json.parse(replay.input(), "input");
        assertEquals("update", input.get("intent").asText());
        assertEquals("rita", input.get("owner").asText());
        assertEquals(2, input.get("generation").asInt());
        assertEquals(4, input.get("config").get("player_count").asInt());
        assertTrue(input.get("config").get("player_count").isIntegralNumber());
        assertEquals(WORKLOAD_ROLE, input.get("placement").get("role_arn").asText());
        assertEquals(120, input.get("poll").get("initial_seconds").asInt());
        assertEquals(RELEASE, input.get("release").asText(), "the release the item wants");

        Run second = ops("replay", RITA, "--owner", "rita", "--poll-initial-seconds", "1");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains(arn(provision, RITA + "-update-g2-r2")), second.out());
        awaitFinished(arn(provision, RITA + "-update-g2-r2"));
    }

    @Test
    void bulkRedriveTakesFailuresTheWorkflowDidNotRecordAndIsADryRunUntilYes() {
        proxy.answerRedrive(200, "redrive-execution.json");

        Run plan = opsVia(proxy.endpoint(), "redrive", "--failed");

        assertEquals(0, plan.exit(), plan.err());
        assertTrue(proxy.redriveRequests().isEmpty());
        assertTrue(row(plan.out(), ERIN + "  " + ERIN + "-update-g2-r1").contains("would-redrive  FAILED"), plan.out());
        assertTrue(row(plan.out(), GINA).endsWith("would-redrive  ABORTED"), plan.out());
        String earlierAttempt = row(plan.out(), ERIN + "  " + ERIN + "-update-g2 ");
        assertTrue(
                earlierAttempt.contains("skipped")
                        && earlierAttempt.contains("a later attempt exists: " + ERIN + "-update-g2-r1 (FAILED)"),
                plan.out());
        assertTrue(
                row(plan.out(), DAVE).contains("skipped")
                        && row(plan.out(), DAVE).contains("superseded"),
                plan.out());
        assertFalse(
                plan.out().contains(BOB) || plan.out().contains(RITA), "recorded failures are replayed\n" + plan.out());
        assertTrue(plan.err().contains("dry run: 2 would be redriven, 2 skipped; "), plan.err());
        assertTrue(plan.err().contains("ended at their Fail state"), plan.err());

        Run act = opsVia(proxy.endpoint(), "redrive", "--failed", "--since", "1h", "--yes", "--concurrency", "2");

        assertEquals(0, act.exit(), act.err());
        List<String> redriven = proxy.redriveRequests().stream()
                .map(body -> Json.parse(body, "request").get("executionArn").asText())
                .sorted()
                .toList();
        assertEquals(List.of(arn(provision, ERIN + "-update-g2-r1"), arn(provision, GINA + "-create-g1")), redriven);
        assertTrue(act.err().contains("2 redriven, 2 skipped, 0 failed; "), act.err());
    }

    @Test
    void bulkRedriveListsNothingThatEndedBeforeSince() {
        Run run = ops(
                "redrive", "--failed", "--since", Instant.now().plusSeconds(60).toString());

        assertEquals(0, run.exit(), run.err());
        assertTrue(
                run.err().contains("dry run: 0 would be redriven, 0 skipped; 0 ended at their Fail state"), run.err());
    }

    @Test
    void redriveOfAnExecutionThatEndedAtItsFailStateIsRefusedWithTheReplayHint() {
        proxy.answerRedrive(200, "redrive-execution.json");

        Run run = opsVia(proxy.endpoint(), "redrive", arn(provision, BOB + "-update-g2"), "--force");

        assertEquals(1, run.exit());
        assertTrue(
                run.err()
                        .contains("error: the workflow recorded this failure (StackFailed: StackUpdateFailed) and"
                                + " ended; redrive would only re-run its Fail state. Fix the cause, then ./stackfleet ops replay "
                                + BOB),
                run.err());
        assertTrue(proxy.redriveRequests().isEmpty());
    }

    @Test
    void redriveWithoutPermissionNamesTheMissingAction() {
        proxy.answerRedrive(400, "access-denied.json");
        String execution = arn(provision, ERIN + "-update-g2-r1");

        Run run = opsVia(proxy.endpoint(), "redrive", execution);

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("access denied: needs states:RedriveExecution on " + execution), run.err());
    }

    @Test
    void redriveOfASupersededExecutionIsRefused() {
        proxy.answerRedrive(200, "redrive-execution.json");

        Run run = opsVia(proxy.endpoint(), "redrive", arn(provision, BOB + "-create-g1"));

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("superseded: the server is at generation 2"), run.err());
        assertTrue(proxy.redriveRequests().isEmpty());
    }

    @Test
    void unreachableEndpointSaysWhatToCheck() {
        Run run = opsVia(URI.create("http://127.0.0.1:9"), "servers", "--owner", "alice");

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("--endpoint-url or AWS_ENDPOINT_URL"), run.err());
    }

    // ---- running the command line

    record Run(int exit, String out, String err) {}

    private Run ops(String... args) {
        return opsVia(emulator.endpoint(), args);
    }

    private Run opsVia(URI endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--endpoint-url",
                endpoint.toString(),
                "--region",
                REGION.id(),
                "--provision-state-machine",
                provision,
                "--deprovision-state-machine",
                deprovision));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OpsMain.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** The given names in the order they first appear in the text (each must appear). */
    private static List<String> idsInOrder(String text, String... names) {
        return List.of(names).stream()
                .peek(n -> assertTrue(text.contains(n), n + " missing in\n" + text))
                .sorted((a, b) -> Integer.compare(text.indexOf(a), text.indexOf(b)))
                .toList();
    }

    private static String row(String table, String id) {
        return table.lines().filter(l -> l.startsWith(id)).findFirst().orElse("(no row for " + id + ")");
    }

    // ---- fixtures, created through the AWS APIs

    private void createTable() {
        dynamo.createTable(b -> b.tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute("owner"), attribute("gameserver_id"), attribute("status"), attribute("updated_at"))
                .keySchema(key("owner", KeyType.HASH), key("gameserver_id", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(GameServerTable.BY_STATUS)
                        .keySchema(key("status", KeyType.HASH), key("updated_at", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .build()));
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private String createStateMachine(String name) {
        return sfn.createStateMachine(b -> b.name(name)
                        .definition(resource("/workflow.asl.json"))
                        .roleArn("arn:aws:iam::123456789012:role/stackfleet-workflow"))
                .stateMachineArn();
    }

    /**
     * In the workload account (through an assumed role, as the workflows do): the access role, the observer role
     * and another reader role (AssumeRole needs them to exist), and a failed stack.
     */
    private void createFailedStackInTheWorkloadAccount(String stackName) {
        StaticCredentialsProvider workload;
        try (StsClient sts = StsClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(REGION)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            Credentials c = sts.assumeRole(b -> b.roleArn(WORKLOAD_ROLE).roleSessionName("fixture"))
                    .credentials();
            workload = StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        }
        try (IamClient iam = IamClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(workload)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            for (String role : List.of("stackfleet-workload-access", "stackfleet-workload-observer", AUDITOR)) {
                iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
                         "Principal":{"AWS":"arn:aws:iam::123456789012:root"}}]}"""));
            }
        }
        try (CloudFormationClient cfn = CloudFormationClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(REGION)
                .credentialsProvider(workload)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            try {
                cfn.createStack(b -> b.stackName(stackName).templateBody(resource("/failing-stack.json")));
            } catch (SdkException expected) {
                // the failing resource makes the emulator answer CreateStack with an error
            }
            assertEquals(
                    "CREATE_IN_PROGRESS",
                    cfn.describeStacks(b -> b.stackName(stackName))
                            .stacks()
                            .get(0)
                            .stackStatusAsString());
        }
        try (CloudFormationClient own = CloudFormationClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            assertTrue(
                    StreamSupport.stream(
                                    own.listStacksPaginator(b -> {})
                                            .stackSummaries()
                                            .spliterator(),
                                    false)
                            .noneMatch(s -> s.stackName().equals(stackName)),
                    "the stack must live in the workload account only");
        }
    }

    private Map<String, AttributeValue> item(
            String owner,
            String id,
            String status,
            long generation,
            Long observed,
            String difficulty,
            Duration age,
            String reason,
            String executionArn) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("owner", AttributeValue.fromS(owner));
        item.put("gameserver_id", AttributeValue.fromS(id));
        item.put(
                "config",
                AttributeValue.fromM(Map.of(
                        "difficulty",
                        AttributeValue.fromS(difficulty),
                        "player_count",
                        AttributeValue.fromN("4"),
                        "seed",
                        AttributeValue.fromS("s33d"))));
        item.put("generation", AttributeValue.fromN(Long.toString(generation)));
        item.put(
                "placement",
                AttributeValue.fromM(Map.of(
                        "account_id",
                        AttributeValue.fromS(WORKLOAD_ACCOUNT),
                        "region",
                        AttributeValue.fromS(REGION.id()),
                        "role_arn",
                        AttributeValue.fromS(WORKLOAD_ROLE))));
        item.put("stack_name", AttributeValue.fromS("stackfleet-" + id));
        item.put("release", AttributeValue.fromS(RELEASE));
        item.put("status", AttributeValue.fromS(status));
        item.put(
                "created_at", AttributeValue.fromS(now.minus(Duration.ofDays(7)).toString()));
        item.put("updated_at", AttributeValue.fromS(now.minus(age).toString()));
        if (observed != null) {
            item.put("observed_generation", AttributeValue.fromN(observed.toString()));
        }
        if (reason != null) {
            item.put("status_reason", AttributeValue.fromS(reason));
        }
        if (executionArn != null) {
            item.put("execution_arn", AttributeValue.fromS(executionArn));
        }
        return item;
    }

    private void put(Map<String, AttributeValue> item) {
        dynamo.putItem(b -> b.tableName(TABLE).item(item));
    }

    private static String input(String owner, String id, String intent, int generation, String difficulty) {
        return """
                {"intent":"%s","owner":"%s","gameserver_id":"%s","generation":%d,"stack_name":"stackfleet-%s",
                 "config":{"difficulty":"%s","player_count":4,"seed":"s33d"},
                 "placement":{"account_id":"%s","region":"us-east-1","role_arn":"%s"},
                 "poll":{"initial_seconds":1,"max_seconds":2}}""".formatted(intent, owner, id, generation, id, difficulty, WORKLOAD_ACCOUNT, WORKLOAD_ROLE);
    }

    private String start(String machine, String name, String input) {
        return sfn.startExecution(b -> b.stateMachineArn(machine).name(name).input(input))
                .executionArn();
    }

    private DescribeExecutionResponse awaitFinished(String executionArn) {
        return Await.until(
                DEADLINE,
                executionArn + " finished",
                () -> sfn.describeExecution(b -> b.executionArn(executionArn)),
                execution -> execution.status() != ExecutionStatus.RUNNING);
    }

    private static String arn(String stateMachineArn, String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    private static String resource(String path) {
        try (InputStream in = OpsIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
