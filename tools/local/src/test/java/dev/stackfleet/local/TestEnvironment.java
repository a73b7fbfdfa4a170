package dev.stackfleet.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.stackfleet.core.GameServerItem;
import dev.stackfleet.core.ItemAttributes;
import dev.stackfleet.core.QuotaAttributes;
import dev.stackfleet.core.Release;
import dev.stackfleet.local.stream.LambdaRecordJson;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * An AWS emulator with the control plane running against it, for one test class. The moto process is the
 * default; {@code -Dstackfleet.emulator=localstack} runs the same tests against LocalStack in a container
 * (Docker needed; pinned to the last tag that runs without a token, or any tag given with
 * {@code -Dstackfleet.localstack.image=...} and {@code LOCALSTACK_AUTH_TOKEN} in the environment).
 */
public final class TestEnvironment implements AutoCloseable {

    /** The last LocalStack tag that starts without an auth token. */
    static final String LOCALSTACK_TOKEN_FREE_IMAGE = "localstack/localstack:4.14.0";

    /** The parameter a bad template release requires and the workflows do not pass. */
    public static final String UNPASSED_PARAMETER = "MapName";

    private final AutoCloseable emulator;
    private final LocalControlPlane controlPlane;
    private final LocalAws aws;
    private final LocalResources resources;

    private TestEnvironment(AutoCloseable emulator, URI endpoint, Path root, LocalControlPlane.Options options) {
        this.emulator = emulator;
        this.aws = new LocalAws(endpoint);
        this.resources = new LocalResources(aws, root);
        this.controlPlane = LocalControlPlane.start(endpoint, root, options);
    }

    /**
     * Starts the selected emulator (logging to {@code target/<name>-emulator.log}) and the control plane, with
     * the stream poller and without the reconcile loop (tests run passes themselves).
     */
    public static TestEnvironment start(String name) {
        return start(name, new LocalControlPlane.Options(0, true, null));
    }

    /** Starts the selected emulator and the control plane with these options. */
    public static TestEnvironment start(String name, LocalControlPlane.Options options) {
        Path root = Path.of(System.getProperty("stackfleet.root", "../.."))
                .toAbsolutePath()
                .normalize();
        String which = System.getProperty("stackfleet.emulator", "moto");
        return switch (which) {
            case "moto" -> {
                Path python = Path.of(System.getProperty(
                        "stackfleet.python", root.resolve(".venv/bin/python").toString()));
                Emulator moto = Emulator.start(python, Path.of("target", name + "-emulator.log"));
                yield startOrClose(moto, moto.endpoint(), root, options);
            }
            case "localstack" -> {
                Assumptions.assumeTrue(
                        DockerClientFactory.instance().isDockerAvailable(),
                        "-Dstackfleet.emulator=localstack needs a running Docker engine; none answered, so these "
                                + "tests are skipped (the moto path runs without Docker)");
                LocalStackContainer localStack = new LocalStackContainer(DockerImageName.parse(
                                System.getProperty("stackfleet.localstack.image", LOCALSTACK_TOKEN_FREE_IMAGE))
                        .asCompatibleSubstituteFor("localstack/localstack"));
                String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
                if (token != null) {
                    localStack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
                }
                localStack.start();
                yield startOrClose(localStack, localStack.getEndpoint(), root, options);
            }
            default ->
                throw new IllegalArgumentException("-Dstackfleet.emulator must be moto or localstack, not " + which);
        };
    }

    private static TestEnvironment startOrClose(
            AutoCloseable emulator, URI endpoint, Path root, LocalControlPlane.Options options) {
        try {
            return new TestEnvironment(emulator, endpoint, root, options);
        } catch (RuntimeException e) {
            stop(emulator);
            throw e;
        }
    }

    public LocalControlPlane controlPlane() {
        return controlPlane;
    }

    public LocalAws aws() {
        return aws;
    }

    /** A server's item as the table holds it: what operators see, all of it (players get less). */
    public Map<String, AttributeValue> storedItem(String owner, String gameServerId) {
        try (var dynamoDb = aws.dynamoDb()) {
            return dynamoDb.getItem(r -> r.tableName(LocalResources.TABLE_NAME)
                            .key(GameServerItem.key(owner, gameServerId))
                            .consistentRead(true))
                    .item();
        }
    }

    /** The ids holding the owner's quota slots, as the quota table holds them (consistent read). */
    public Set<String> quotaSlots(String owner) {
        try (var dynamoDb = aws.dynamoDb()) {
            AttributeValue servers = dynamoDb.getItem(r -> r.tableName(LocalResources.QUOTA_TABLE_NAME)
                            .key(Map.of(QuotaAttributes.OWNER, AttributeValue.fromS(owner)))
                            .consistentRead(true))
                    .item()
                    .get(QuotaAttributes.SERVERS);
            return servers == null ? Set.of() : new TreeSet<>(servers.ss());
        }
    }

    /**
     * Publishes a bad game-server template and makes it current: the real one plus a required parameter
     * ({@value #UNPASSED_PARAMETER}) that no workflow passes, so CloudFormation refuses every create.
     */
    public void releaseBrokenGameServerTemplate() {
        publishCurrent(resources
                .readGameServerTemplate()
                .replaceFirst("(?m)^Parameters:\n", "Parameters:\n  " + UNPASSED_PARAMETER + ":\n    Type: String\n"));
    }

    /**
     * Releases the real template with other operator defaults for the game port and protocol, as an operator
     * who moves the game to another port would: the next create or update of a stack takes them.
     */
    public Release releaseGameServerTemplateWithGamePort(int port, String protocol) {
        String template = resources.readGameServerTemplate();
        String moved = template.replaceFirst("(?m)(^  GamePort:\n(?:.*\n)*?    Default: )\\d+", "$1" + port)
                .replaceFirst("(?m)(^  GameProtocol:\n(?:.*\n)*?    Default: )\\w+", "$1" + protocol);
        if (!moved.contains("Default: " + port) || moved.equals(template)) {
            throw new IllegalStateException("GamePort or GameProtocol has no Default to change in the template");
        }
        return publishCurrent(moved);
    }

    /** Makes the real {@code templates/game-server.yaml} the current release again. */
    public Release restoreGameServerTemplate() {
        return publishCurrent(resources.readGameServerTemplate());
    }

    /** Publishes a template as a release and makes it the one new servers get. */
    private Release publishCurrent(String template) {
        Release release = resources.publishRelease(template);
        resources.makeCurrent(release);
        return release;
    }

    /**
     * Sets the release a server should run without a new generation, as only a test does: the next change of its
     * config takes it (a rollout writes it with a new generation instead).
     */
    public void desireRelease(String owner, String gameServerId, Release release) {
        try (var dynamoDb = aws.dynamoDb()) {
            dynamoDb.updateItem(r -> r.tableName(LocalResources.TABLE_NAME)
                    .key(GameServerItem.key(owner, gameServerId))
                    .updateExpression("SET #release = :release")
                    .expressionAttributeNames(Map.of("#release", ItemAttributes.RELEASE))
                    .expressionAttributeValues(Map.of(":release", AttributeValue.fromS(release.version()))));
        }
    }

    /** Removes a server's release attributes, as an item written before releases existed has none. */
    public void forgetRelease(String owner, String gameServerId) {
        try (var dynamoDb = aws.dynamoDb()) {
            dynamoDb.updateItem(r -> r.tableName(LocalResources.TABLE_NAME)
                    .key(GameServerItem.key(owner, gameServerId))
                    .updateExpression("REMOVE #release, #observed")
                    .expressionAttributeNames(
                            Map.of("#release", ItemAttributes.RELEASE, "#observed", ItemAttributes.OBSERVED_RELEASE)));
        }
    }

    /** The emulator's resources as the control plane created them, for publishing releases. */
    public LocalResources resources() {
        return resources;
    }

    /** Every record of the table's stream so far, as Lambda would deliver them in one batch. */
    public DynamodbEvent allStreamRecords() {
        String streamArn = controlPlane.resources().streamArn();
        LambdaRecordJson json = new LambdaRecordJson();
        try (var streams = aws.dynamoDbStreams()) {
            String shard = streams.describeStream(r -> r.streamArn(streamArn))
                    .streamDescription()
                    .shards()
                    .get(0)
                    .shardId();
            String iterator = streams.getShardIterator(r ->
                            r.streamArn(streamArn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            var records = streams.getRecords(r -> r.shardIterator(iterator).limit(1000))
                    .records();
            return json.toEvent(records.stream()
                    .map(record -> json.toJson(record, streamArn))
                    .toList());
        }
    }

    @Override
    public void close() {
        controlPlane.close();
        stop(emulator);
    }

    private static void stop(AutoCloseable emulator) {
        try {
            emulator.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the emulator", e);
        }
    }
}
