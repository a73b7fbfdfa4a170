package dev.stackfleet.bench.coldstart;

import dev.stackfleet.core.DynamoDbGameServerStore;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.GameServerIds;
import dev.stackfleet.core.Placement;
import dev.stackfleet.local.LocalAws;
import dev.stackfleet.local.LocalResources;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The emulator's resources for the cold-start runs and the data each run's first call needs, so that every run,
 * Python or Java, does the same calls with the same outcome: a server to read, list and update; a fresh server
 * for each delete; a fresh owner for each create; a fresh id for each stream record.
 */
final class ColdStartFixtures implements AutoCloseable {

    /** The owner whose servers are read, listed and updated. */
    private static final String READER = "cold-start-reader";

    private final URI endpoint;
    private final LocalAws aws;
    private final LocalResources.Created created;
    private final String passStateMachine;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbGameServerStore store;
    private final String sharedServer;
    private final AtomicInteger runs = new AtomicInteger();

    ColdStartFixtures(URI endpoint, Path root) {
        this.endpoint = endpoint;
        this.aws = new LocalAws(endpoint);
        this.created = new LocalResources(aws, root).create();
        // The stream's executions do nothing: the benchmark measures the start, not the workflow.
        try (var sfn = aws.sfn()) {
            this.passStateMachine = sfn.createStateMachine(r -> r.name("cold-start-pass")
                            .definition(
                                    "{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Pass\", \"End\": true}}}")
                            .roleArn("arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/" + LocalResources.WORKFLOW_ROLE))
                    .stateMachineArn();
        }
        this.dynamoDb = aws.dynamoDb();
        this.store = new DynamoDbGameServerStore(
                dynamoDb,
                LocalResources.TABLE_NAME,
                LocalResources.QUOTA_TABLE_NAME,
                LocalResources.ACCOUNT_POOL_TABLE_NAME,
                LocalResources.RELEASES_TABLE_NAME);
        this.sharedServer = newServer(READER);
    }

    /** The environment Lambda would give the handler, aimed at the emulator; the same for Python and Java. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        env.put("AWS_REGION", LocalAws.REGION.id());
        env.put("AWS_DEFAULT_REGION", LocalAws.REGION.id());
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        // Lambda has no shared config or credentials files; neither run may read the machine's own.
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("TABLE_NAME", LocalResources.TABLE_NAME);
        env.put("QUOTA_TABLE_NAME", LocalResources.QUOTA_TABLE_NAME);
        env.put("MAX_SERVERS_PER_OWNER", "10");
        env.put("ACCOUNT_POOL_TABLE_NAME", LocalResources.ACCOUNT_POOL_TABLE_NAME);
        env.put("RELEASES_TABLE_NAME", LocalResources.RELEASES_TABLE_NAME);
        env.put("PROVISION_STATE_MACHINE_ARN", passStateMachine);
        env.put("DEPROVISION_STATE_MACHINE_ARN", passStateMachine);
        env.put("DEAD_LETTER_QUEUE_URL", created.deadLetterQueueUrl());
        return env;
    }

    /** The arguments of one run of a handler: owner, game-server id, player count (see {@link FirstInvocation}). */
    List<String> nextRun(HandlerCase handler) {
        int run = runs.incrementAndGet();
        return switch (handler.handler()) {
            case "GetGameServerHandler", "ListGameServersHandler", "ReconcileHandler" ->
                List.of(READER, sharedServer, "4");
            // each update changes the player count, so each one writes
            case "UpdateGameServerHandler" -> List.of(READER, sharedServer, Integer.toString(2 + run % 2 * 3));
            case "CreateGameServerHandler" -> List.of("cold-start-creator-" + run, sharedServer, "4");
            case "DeleteGameServerHandler" -> List.of(READER + "-deletes", newServer(READER + "-deletes"), "4");
            case "StreamHandler" -> List.of("cold-start-stream", GameServerIds.next(), "4");
            default -> throw new IllegalArgumentException("No fixture for " + handler.handler());
        };
    }

    /** Checks that the stream runs started this many executions, one each (none was dead-lettered). */
    void requireStreamExecutions(int expected) {
        try (var sfn = aws.sfn()) {
            long started = sfn.listExecutionsPaginator(r -> r.stateMachineArn(passStateMachine)).executions().stream()
                    .count();
            if (started != expected) {
                throw new IllegalStateException("The stream runs started " + started + " executions, not " + expected
                        + ": a record was dead-lettered or started twice");
            }
        }
    }

    private String newServer(String owner) {
        GameServer server = GameServer.requested(
                owner,
                owner,
                GameServerIds.next(),
                new GameServerConfig("easy", 4, "s33d"),
                Placement.of(LocalAws.ACCOUNT_ID, LocalAws.REGION.id(), LocalResources.ACCESS_ROLE),
                "3f9a2c1d4b5e",
                Instant.now());
        store.create(server, Integer.MAX_VALUE);
        return server.gameServerId();
    }

    @Override
    public void close() {
        dynamoDb.close();
    }
}
