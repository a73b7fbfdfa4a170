package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.PhysicalName;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.VirtualHostedStyleUrlOptions;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * Serves {@code templates/game-server.yaml} to the workload accounts. CloudFormation fetches a
 * {@code TemplateURL} with the caller's credentials, and the caller is each account's
 * {@code stackfleet-workload-access} role; the CDK bootstrap bucket that holds the template as an
 * asset grants no other account, so a copy of the asset is served from a bucket of the control plane
 * whose policy lets exactly those roles read it.
 *
 * <p>The object key carries the asset's hash, so a deploy never changes the template under a running
 * execution, and every version stays readable.
 */
public final class GameServerTemplateStore extends Construct {

    /** The key prefix that {@code templates/workload-access.yaml} lets its role read ({@code TemplateKeyPrefix}). */
    public static final String KEY_PREFIX = "templates/";

    private final Bucket bucket;
    private final String templateUrl;

    public GameServerTemplateStore(Construct scope, String id, String templateFile, List<String> workloadAccounts) {
        super(scope, id);
        Asset asset = Asset.Builder.create(this, "Asset").path(templateFile).build();
        String key = KEY_PREFIX + asset.getAssetHash() + "/game-server.yaml";
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
        AwsSdkCall copy = AwsSdkCall.builder()
                .service("S3")
                .action("copyObject")
                .parameters(Map.of(
                        "Bucket",
                        bucket.getBucketName(),
                        "Key",
                        key,
                        "CopySource",
                        asset.getS3BucketName() + "/" + asset.getS3ObjectKey()))
                .physicalResourceId(PhysicalResourceId.of(key))
                .build();
        AwsCustomResource.Builder.create(this, "Upload")
                .onCreate(copy)
                .onUpdate(copy)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(
                        PolicyStatement.Builder.create()
                                .actions(List.of("s3:GetObject"))
                                .resources(List.of(asset.getBucket().arnForObjects(asset.getS3ObjectKey())))
                                .build(),
                        PolicyStatement.Builder.create()
                                .actions(List.of("s3:PutObject"))
                                .resources(List.of(bucket.arnForObjects(key)))
                                .build())))
                .installLatestAwsSdk(false)
                .build();
        templateUrl = bucket.virtualHostedUrlForObject(
                key, VirtualHostedStyleUrlOptions.builder().regional(true).build());

        NagSuppressions.addResourceSuppressions(
                bucket,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-S1")
                        .reason(
                                "Holds only the public game-server template, written by this stack and read by the "
                                        + "workload-access roles; CloudTrail already records those reads, access logs would add a bucket")
                        .build()));
        // The AwsCustomResource provider is one Lambda per stack, shared by its custom resources.
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

    /** The HTTPS URL of the current template, for the workflows' {@code TemplateURL}. */
    public String templateUrl() {
        return templateUrl;
    }
}
