package dev.stackfleet.local;

import dev.stackfleet.core.LambdaClients;
import dev.stackfleet.core.Placement;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * AWS clients aimed at one emulator endpoint, in the emulator's default account (123456789012) and region
 * {@code us-east-1}: the deployed Lambdas' own clients for the local handlers ({@link #lambdaClients()}), SDK clients
 * for the rest. Nothing else about them is local.
 */
public final class LocalAws {

    /** The emulator's default account: every resource of local mode lives here. */
    public static final String ACCOUNT_ID = "123456789012";

    public static final Region REGION = Region.US_EAST_1;

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private final URI endpoint;

    public LocalAws(URI endpoint) {
        this.endpoint = endpoint;
    }

    public URI endpoint() {
        return endpoint;
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    /**
     * The deployed Lambdas' DynamoDB client ({@link LambdaClients#dynamoDb()}) with its writes run one at a time (see
     * {@link SerializedWrites}): what the local API gets.
     */
    public DynamoDbClient dynamoDbWithSerializedWrites() {
        return new SerializedWrites(lambdaClients().dynamoDb());
    }

    /** The deployed Lambdas' clients, aimed at the emulator: what the local handlers get. */
    public LambdaClients lambdaClients() {
        return LambdaClients.of(REGION, CREDENTIALS, Map.of("AWS_ENDPOINT_URL", endpoint.toString())::get);
    }

    public DynamoDbStreamsClient dynamoDbStreams() {
        return configure(DynamoDbStreamsClient.builder()).build();
    }

    public SfnClient sfn() {
        return configure(SfnClient.builder()).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    public EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder()).build();
    }

    public CloudFormationClient cloudFormation() {
        return configure(CloudFormationClient.builder()).build();
    }

    /**
     * CloudFormation acting as a role, assumed through the emulator's STS: the emulator places the calls in the
     * role's account, as AWS would.
     */
    public CloudFormationClient cloudFormationAs(String roleArn, String region) {
        Credentials credentials;
        // The emulator runs every workflow task in its own account, whatever account the placement names, so the
        // stacks of every local workload account are there.
        String emulatorRole = Placement.sameRoleIn(roleArn, ACCOUNT_ID);
        try (StsClient sts = configure(StsClient.builder()).build()) {
            credentials = sts.assumeRole(r -> r.roleArn(emulatorRole).roleSessionName("stackfleet-local"))
                    .credentials();
        }
        return configure(CloudFormationClient.builder())
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build();
    }

    public S3Client s3() {
        return configure(S3Client.builder()).forcePathStyle(true).build();
    }

    public SsmClient ssm() {
        return configure(SsmClient.builder()).build();
    }

    public Ec2Client ec2() {
        return configure(Ec2Client.builder()).build();
    }

    public IamClient iam() {
        return configure(IamClient.builder()).region(Region.AWS_GLOBAL).build();
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        builder.endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS);
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(UrlConnectionHttpClient.create());
        }
        return builder;
    }
}
