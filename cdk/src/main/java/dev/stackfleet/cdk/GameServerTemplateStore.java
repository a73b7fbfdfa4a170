package dev.stackfleet.cdk;

import dev.stackfleet.core.Release;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.PhysicalName;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.VirtualHostedStyleUrlOptions;
import software.constructs.Construct;

/**
 * Serves the game-server template releases to the workload accounts. CloudFormation fetches a {@code TemplateURL}
 * with the caller's credentials, and the caller is each account's {@code stackfleet-workload-access} role, so the
 * bucket's policy lets exactly those roles read the releases.
 *
 * <p>Operators publish releases into it ({@code ./stackfleet ops release publish}): each at
 * {@code templates/<version>/game-server.yaml}, its version the start of the template's SHA-256, never overwritten, so
 * a release never changes under a running execution and every release stays readable. A deployment publishes none.
 */
public final class GameServerTemplateStore extends Construct {

    /** The key prefix that {@code templates/workload-access.yaml} lets its role read ({@code TemplateKeyPrefix}). */
    public static final String KEY_PREFIX = Release.KEY_PREFIX;

    private final Bucket bucket;
    private final String templateUrlPrefix;

    public GameServerTemplateStore(Construct scope, String id, List<String> workloadAccounts) {
        super(scope, id);
        bucket = Bucket.Builder.create(this, "Bucket")
                // Generated, not chosen: the workload-access stacks of other accounts receive this name as a
                // parameter, and references across accounts need a name known at synthesis.
                .bucketName(PhysicalName.GENERATE_IF_NEEDED)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (String account : workloadAccounts) {
            // The account as principal and the role in a condition: the role does not exist yet when this
            // policy is written (the workload-access stacks come after the control plane).
            bucket.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("WorkloadAccessReadsTemplates" + account)
                    .principals(List.of(new AccountPrincipal(account)))
                    .actions(List.of("s3:GetObject"))
                    .resources(List.of(bucket.arnForObjects(KEY_PREFIX + "*")))
                    .conditions(
                            Map.of("ArnEquals", Map.of("aws:PrincipalArn", Workflows.workloadAccessRoleArn(account))))
                    .build());
        }
        templateUrlPrefix = bucket.virtualHostedUrlForObject(
                KEY_PREFIX,
                VirtualHostedStyleUrlOptions.builder().regional(true).build());

        NagSuppressions.addResourceSuppressions(
                bucket,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-S1")
                        .reason(
                                "Holds only the public game-server template releases, written by operators and read by the "
                                        + "workload-access roles; CloudTrail already records those reads, access logs would add a bucket")
                        .build()));
        // The AwsCustomResource provider is one Lambda per stack, shared by its custom resources (the account pool's).
        NagSuppressions.addResourceSuppressionsByPath(
                Stack.of(this),
                "/" + Stack.of(this).getNode().getPath() + "/AWS"
                        + AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", "") + "/ServiceRole/Resource",
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM4")
                        .reason("CDK's custom resource provider writes its logs with AWSLambdaBasicExecutionRole; "
                                + "it runs only during deployments")
                        .appliesTo(
                                List.of(
                                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
                        .build()));
    }

    public Bucket bucket() {
        return bucket;
    }

    /**
     * The HTTPS URL of the releases' folder, ending in {@code /}: the provision workflow appends a release's
     * {@code <version>/game-server.yaml} for its {@code TemplateURL}.
     */
    public String templateUrlPrefix() {
        return templateUrlPrefix;
    }
}
