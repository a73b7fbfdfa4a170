package dev.stackfleet.local;

import dev.stackfleet.core.AccountPoolAttributes;
import dev.stackfleet.core.AccountPoolTable;
import dev.stackfleet.core.EmulatedTemplate;
import dev.stackfleet.core.ItemAttributes;
import dev.stackfleet.core.LifecyclePipe;
import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.core.QuotaAttributes;
import dev.stackfleet.core.Release;
import dev.stackfleet.core.ReleaseAttributes;
import dev.stackfleet.core.ReleaseTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Creates in the emulator what the CDK app and a workload account would hold on AWS: the table with its
 * stream and status index, the quota table, the dead-letter queue, the lifecycle-event bus, the releases table with
 * the repository's game-server template as the first release (in S3), the workload account's networking in SSM, the workflow role, the workload access roles (from
 * {@code templates/workload-access.yaml}), the stack-waits table, the two workflows, the rollout workflow and the
 * stack-event callback (from {@code statemachines/}).
 */
public final class LocalResources {

    public static final String TABLE_NAME = "gameservers";
    public static final String QUOTA_TABLE_NAME = "gameserver-quotas";
    public static final String ACCOUNT_POOL_TABLE_NAME = "workload-accounts";
    /**
     * Local mode's workload accounts: the emulator's own, where it runs every workflow task whatever role is named,
     * and two more so that placement spreads servers as it does on AWS. Their roles are asked for as on AWS; the
     * tests assert the role each task requested.
     */
    public static final List<String> WORKLOAD_ACCOUNTS = List.of(LocalAws.ACCOUNT_ID, "234567890123", "345678901234");
    /** Servers per local workload account: room for the benchmarks' bursts. */
    public static final int ACCOUNT_CAPACITY = 1000;
    /** The task tokens of workflows waiting for a stack's status change event, by stack name. */
    public static final String STACK_WAITS_TABLE_NAME = "stackfleet-stack-waits";
    /** The template releases, the current-release pointer, the rollouts and their lock. */
    public static final String RELEASES_TABLE_NAME = "stackfleet-releases";

    public static final String STACK_WAITS_KEY = "stack_name";
    public static final String STATUS_INDEX = "by-status";
    public static final String DEAD_LETTER_QUEUE = "stackfleet-stream-dlq";
    public static final String TEMPLATE_BUCKET = "stackfleet-templates";
    /** The game-server template in {@code templates/} of the repository. */
    public static final String TEMPLATE_FILE = "game-server.yaml";
    /** Where the provision workflow finds a release's template: this, the version, {@code /game-server.yaml}. */
    public static final String TEMPLATE_URL_PREFIX =
            "https://s3.amazonaws.com/" + TEMPLATE_BUCKET + "/" + Release.KEY_PREFIX;

    public static final String WORKFLOW_ROLE = "stackfleet-workflow";
    public static final String ACCESS_ROLE = "stackfleet-workload-access";
    public static final String EXECUTION_ROLE = "stackfleet-cloudformation-execution";

    /** What the runtime needs to know about the resources it created. */
    public record Created(
            String streamArn,
            String deadLetterQueueUrl,
            String provisionArn,
            String deprovisionArn,
            String stackEventArn,
            String rolloutArn) {}

    private final LocalAws aws;
    private final Path root;

    /**
     * @param aws clients aimed at the emulator
     * @param root the repository root, holding {@code statemachines/} and {@code templates/}
     */
    public LocalResources(LocalAws aws, Path root) {
        this.aws = aws;
        this.root = root;
    }

    /** Creates everything; the emulator must be empty. */
    public Created create() {
        String streamArn = createTable();
        createQuotaTable();
        createAccountPool();
        createStackWaitsTable();
        createReleasesTable();
        String queueUrl;
        try (var sqs = aws.sqs()) {
            queueUrl = sqs.createQueue(r -> r.queueName(DEAD_LETTER_QUEUE)).queueUrl();
        }
        try (var eventBridge = aws.eventBridge()) {
            eventBridge.createEventBus(r -> r.name(LifecyclePipe.BUS_NAME));
        }
        uploadFirstRelease();
        publishNetworking();
        String workflowRoleArn = createWorkflowRole();
        deployWorkloadAccess(workflowRoleArn);
        StateMachineDefinitions definitions = new StateMachineDefinitions(
                root.resolve("statemachines"),
                Map.of(
                        "TableName", TABLE_NAME,
                        "QuotaTableName", QUOTA_TABLE_NAME,
                        "AccountPoolTableName", ACCOUNT_POOL_TABLE_NAME,
                        "StackWaitsTableName", STACK_WAITS_TABLE_NAME,
                        "ReleasesTableName", RELEASES_TABLE_NAME,
                        "GameServerTemplateUrlPrefix", TEMPLATE_URL_PREFIX,
                        "CloudFormationExecutionRoleName", EXECUTION_ROLE));
        try (var sfn = aws.sfn()) {
            String provision = sfn.createStateMachine(r -> r.name("stackfleet-provision")
                            .definition(definitions.definition("provision"))
                            .roleArn(workflowRoleArn))
                    .stateMachineArn();
            String deprovision = sfn.createStateMachine(r -> r.name("stackfleet-deprovision")
                            .definition(definitions.definition("deprovision"))
                            .roleArn(workflowRoleArn))
                    .stateMachineArn();
            // Express on AWS; the emulator runs it like any machine, which is all the stand-in needs.
            String stackEvent = sfn.createStateMachine(r -> r.name("stackfleet-stack-event")
                            .definition(withEmulatorCasing(definitions.definition("stack-event")))
                            .roleArn(workflowRoleArn))
                    .stateMachineArn();
            String rollout = sfn.createStateMachine(r -> r.name("stackfleet-rollout")
                            .definition(definitions.definition("rollout"))
                            .roleArn(workflowRoleArn))
                    .stateMachineArn();
            return new Created(streamArn, queueUrl, provision, deprovision, stackEvent, rollout);
        }
    }

    private String createTable() {
        try (var dynamoDb = aws.dynamoDb()) {
            return dynamoDb.createTable(r -> r.tableName(TABLE_NAME)
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(
                                    attribute(ItemAttributes.OWNER), attribute(ItemAttributes.GAMESERVER_ID),
                                    attribute(ItemAttributes.STATUS), attribute(ItemAttributes.UPDATED_AT))
                            .keySchema(
                                    key(ItemAttributes.OWNER, KeyType.HASH),
                                    key(ItemAttributes.GAMESERVER_ID, KeyType.RANGE))
                            .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                                    .indexName(STATUS_INDEX)
                                    .keySchema(
                                            key(ItemAttributes.STATUS, KeyType.HASH),
                                            key(ItemAttributes.UPDATED_AT, KeyType.RANGE))
                                    .projection(p -> p.projectionType(ProjectionType.ALL))
                                    .build())
                            .streamSpecification(
                                    s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                    .tableDescription()
                    .latestStreamArn();
        }
    }

    /** The owners' quota records: no stream, nothing reacts to them. */
    private void createQuotaTable() {
        try (var dynamoDb = aws.dynamoDb()) {
            dynamoDb.createTable(r -> r.tableName(QUOTA_TABLE_NAME)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attribute(QuotaAttributes.OWNER))
                    .keySchema(key(QuotaAttributes.OWNER, KeyType.HASH)));
        }
    }

    /** The account pool, with local mode's accounts registered as a deployment registers the settings' accounts. */
    private void createAccountPool() {
        try (var dynamoDb = aws.dynamoDb()) {
            dynamoDb.createTable(r -> r.tableName(ACCOUNT_POOL_TABLE_NAME)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attribute(AccountPoolAttributes.ACCOUNT_ID))
                    .keySchema(key(AccountPoolAttributes.ACCOUNT_ID, KeyType.HASH)));
            AccountPoolTable pool = new AccountPoolTable(dynamoDb, ACCOUNT_POOL_TABLE_NAME);
            for (String account : WORKLOAD_ACCOUNTS) {
                pool.register(account, LocalAws.REGION.id(), ACCOUNT_CAPACITY, PoolAccount.State.OPEN);
            }
        }
    }

    /**
     * The emulator passes an aws-sdk Task's parameters to boto3 as written, and boto3 spells Step Functions'
     * parameters in camelCase; AWS takes them in PascalCase, as the definition has them. Only the callback's
     * SendTaskSuccess call is affected.
     */
    private static String withEmulatorCasing(String stackEventDefinition) {
        return stackEventDefinition
                .replace("\"TaskToken.$\"", "\"taskToken.$\"")
                .replace("\"Output.$\"", "\"output.$\"");
    }

    /** One item per stack name: the last workflow that waits on the stack overwrites the one before. */
    private void createStackWaitsTable() {
        try (var dynamoDb = aws.dynamoDb()) {
            dynamoDb.createTable(r -> r.tableName(STACK_WAITS_TABLE_NAME)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attribute(STACK_WAITS_KEY))
                    .keySchema(key(STACK_WAITS_KEY, KeyType.HASH)));
        }
    }

    /** The releases table: a partition and a sort key, no stream (a rollout starts its own workflow). */
    private void createReleasesTable() {
        try (var dynamoDb = aws.dynamoDb()) {
            dynamoDb.createTable(r -> r.tableName(RELEASES_TABLE_NAME)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attribute(ReleaseAttributes.PK), attribute(ReleaseAttributes.SK))
                    .keySchema(key(ReleaseAttributes.PK, KeyType.HASH), key(ReleaseAttributes.SK, KeyType.RANGE)));
        }
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

    /**
     * The emulator reads a TemplateURL from its own S3; the path-style AWS form works on both. The repository's
     * template is the first release, current, as an operator's first {@code ops release publish} makes it.
     */
    private void uploadFirstRelease() {
        try (var s3 = aws.s3()) {
            s3.createBucket(r -> r.bucket(TEMPLATE_BUCKET));
        }
        makeCurrent(publishRelease(readGameServerTemplate()));
    }

    /**
     * Publishes a game-server template as a release without the checks of {@code ops release publish} (tests
     * release broken templates on purpose): its emulated copy ({@link EmulatedTemplate}) at the release's key.
     */
    public Release publishRelease(String template) {
        Release release = Release.of(template, Instant.now());
        try (var s3 = aws.s3()) {
            s3.putObject(
                    r -> r.bucket(TEMPLATE_BUCKET).key(release.templateKey()),
                    RequestBody.fromString(EmulatedTemplate.of(template)));
        }
        try (var dynamoDb = aws.dynamoDb()) {
            new ReleaseTable(dynamoDb, RELEASES_TABLE_NAME).record(release);
        }
        return release;
    }

    /** The URL the provision workflow gives CloudFormation for a release. */
    public static String templateUrl(String version) {
        return "https://s3.amazonaws.com/" + TEMPLATE_BUCKET + "/" + Release.templateKey(version);
    }

    /** Makes a release the one new servers get. */
    public void makeCurrent(Release release) {
        try (var dynamoDb = aws.dynamoDb()) {
            new ReleaseTable(dynamoDb, RELEASES_TABLE_NAME).makeCurrent(release.version());
        }
    }

    /** The repository's {@code templates/game-server.yaml}. */
    public String readGameServerTemplate() {
        try {
            return Files.readString(gameServerTemplate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The game-server template of the repository, {@code templates/game-server.yaml}. */
    public Path gameServerTemplate() {
        return root.resolve("templates").resolve(TEMPLATE_FILE);
    }

    /** A workload account publishes its networking in SSM; the game-server template reads it there. */
    private void publishNetworking() {
        try (var ec2 = aws.ec2();
                var ssm = aws.ssm()) {
            String vpcId = ec2.createVpc(r -> r.cidrBlock("10.42.0.0/16")).vpc().vpcId();
            String subnetA = ec2.createSubnet(
                            r -> r.vpcId(vpcId).cidrBlock("10.42.1.0/24").availabilityZone("us-east-1a"))
                    .subnet()
                    .subnetId();
            String subnetB = ec2.createSubnet(
                            r -> r.vpcId(vpcId).cidrBlock("10.42.2.0/24").availabilityZone("us-east-1b"))
                    .subnet()
                    .subnetId();
            ssm.putParameter(r -> r.name("/stackfleet/network/vpc-id")
                    .type(ParameterType.STRING)
                    .value(vpcId));
            ssm.putParameter(r -> r.name("/stackfleet/network/subnet-ids")
                    .type(ParameterType.STRING_LIST)
                    .value(subnetA + "," + subnetB));
        }
    }

    private String createWorkflowRole() {
        try (var iam = aws.iam()) {
            return iam.createRole(r -> r.roleName(WORKFLOW_ROLE).assumeRolePolicyDocument("""
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
                    """))
                    .role()
                    .arn();
        }
    }

    /**
     * The same access stack a workload account deploys, here in the emulator's single account, with its
     * observer role trusting that account, so that {@code ./stackfleet ops history} can read the stacks.
     */
    private void deployWorkloadAccess(String workflowRoleArn) {
        String template;
        try {
            template = Files.readString(root.resolve("templates/workload-access.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var cloudFormation = aws.cloudFormation()) {
            cloudFormation.createStack(r -> r.stackName("stackfleet-workload-access")
                    .templateBody(template)
                    .capabilities(Capability.CAPABILITY_NAMED_IAM)
                    .parameters(List.of(
                            Parameter.builder()
                                    .parameterKey("ControlPlaneWorkflowRoleArn")
                                    .parameterValue(workflowRoleArn)
                                    .build(),
                            Parameter.builder()
                                    .parameterKey("TemplateBucketName")
                                    .parameterValue(TEMPLATE_BUCKET)
                                    .build(),
                            Parameter.builder()
                                    .parameterKey("ObserverPrincipalArns")
                                    .parameterValue("arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":root")
                                    .build())));
            StackStatus status = cloudFormation
                    .describeStacks(r -> r.stackName("stackfleet-workload-access"))
                    .stacks()
                    .get(0)
                    .stackStatus();
            if (status != StackStatus.CREATE_COMPLETE) {
                throw new IllegalStateException("The workload access stack ended " + status);
            }
        }
    }
}
