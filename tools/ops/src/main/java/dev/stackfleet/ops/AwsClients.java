package dev.stackfleet.ops;

import dev.stackfleet.core.Placement;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The SDK clients of one command run, built on first use with the URLConnection HTTP client. Credentials come
 * from the default chain; the region from {@code --region} or the default chain; the endpoint from
 * {@code --endpoint-url}, or else the SDK's own {@code AWS_ENDPOINT_URL} handling (local mode).
 */
final class AwsClients implements AutoCloseable {

    private final URI endpoint;
    private final Region region;
    private final String emulatorAccount;
    private DynamoDbClient dynamo;
    private SfnClient sfn;
    private StsClient sts;
    private S3Client s3;
    private CloudWatchClient cloudWatch;

    /**
     * @param endpoint an endpoint for every service (the emulator), or {@code null} for AWS
     * @param region the control plane's region, or {@code null} for the default chain
     * @param emulatorAccount local mode: the emulator's account, where every workload account's stacks are; else
     *     {@code null}
     */
    AwsClients(URI endpoint, Region region, String emulatorAccount) {
        this.endpoint = endpoint;
        this.region = region;
        this.emulatorAccount = emulatorAccount;
    }

    /** DynamoDB in the control plane's account. */
    synchronized DynamoDbClient dynamoDb() {
        if (dynamo == null) {
            dynamo = build(DynamoDbClient.builder(), region);
        }
        return dynamo;
    }

    /** Step Functions in the control plane's account. */
    synchronized SfnClient sfn() {
        if (sfn == null) {
            sfn = build(SfnClient.builder(), region);
        }
        return sfn;
    }

    /** S3 in the control plane's account: the template bucket (path-style against an emulator). */
    synchronized S3Client s3() {
        if (s3 == null) {
            s3 = build(S3Client.builder().forcePathStyle(endpoint != null), region);
        }
        return s3;
    }

    /** CloudWatch in the control plane's account: the rollouts' alarms. */
    synchronized CloudWatchClient cloudWatch() {
        if (cloudWatch == null) {
            cloudWatch = build(CloudWatchClient.builder(), region);
        }
        return cloudWatch;
    }

    /** STS, for assuming workload account roles. */
    synchronized StsClient sts() {
        if (sts == null) {
            sts = build(StsClient.builder(), region);
        }
        return sts;
    }

    /**
     * CloudFormation in a workload account: the caller closes it.
     *
     * @param credentials the assumed role's credentials
     * @param workloadRegion the stack's region
     */
    CloudFormationClient cloudFormation(AwsCredentialsProvider credentials, Region workloadRegion) {
        return build(CloudFormationClient.builder().credentialsProvider(credentials), workloadRegion);
    }

    /**
     * CloudFormation as a role in a workload account, assumed with STS now: the caller closes it.
     *
     * @param roleArn the role to assume
     * @param workloadRegion the stacks' region
     */
    CloudFormationClient cloudFormationAs(String roleArn, Region workloadRegion) {
        // Local mode's emulator runs every workflow task in its own account, whatever account a placement names.
        String assumed = emulatorAccount == null ? roleArn : Placement.sameRoleIn(roleArn, emulatorAccount);
        Credentials credentials = sts().assumeRole(b -> b.roleArn(assumed).roleSessionName("stackfleet-ops"))
                .credentials();
        return cloudFormation(
                StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())),
                workloadRegion);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Region r) {
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (r != null) {
            builder.region(r);
        }
        try {
            return builder.build();
        } catch (SdkClientException e) {
            throw new OpsException("cannot set up the AWS client: " + e.getMessage()
                    + "\n  set the region with --region or AWS_REGION (and credentials, e.g. AWS_PROFILE)");
        }
    }

    @Override
    public synchronized void close() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (sfn != null) {
            sfn.close();
        }
        if (sts != null) {
            sts.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
    }
}
