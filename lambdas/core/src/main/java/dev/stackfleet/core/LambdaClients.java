package dev.stackfleet.core;

import dev.stackfleet.core.aws.AwsJsonClient;
import dev.stackfleet.core.aws.LightDynamoDbClient;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How a deployed Lambda builds its AWS clients: the region and the credentials Lambda provides, named outright so
 * that no default chain probes system properties, profile files, or instance metadata at init. The calls on the
 * request path (DynamoDB from the API, Step Functions and SQS from the stream) go through {@link AwsJsonClient}, the
 * SDK's interfaces and model without its client runtime, which is most of a cold start; the reconciler's SDK
 * clients (CloudFormation and STS speak other protocols) use the JDK's {@code HttpURLConnection}, the lightest HTTP
 * client to load. Tests and local mode pass their own clients to the handlers' other constructors.
 *
 * <p>Lambda puts the function's credentials in {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/
 * {@code AWS_SESSION_TOKEN}, except under SnapStart, where a snapshot must not hold them: there it serves them from
 * the endpoint named by {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, which is then what the clients use.
 */
public final class LambdaClients {

    static final String CONTAINER_CREDENTIALS = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Function<String, String> env;

    private LambdaClients(Region region, AwsCredentialsProvider credentials, Function<String, String> env) {
        this.region = region;
        this.credentials = credentials;
        this.env = env;
    }

    /** Reads {@code AWS_REGION} (required) and which credentials Lambda provides. */
    public static LambdaClients fromEnvironment(Function<String, String> env) {
        String region = env.apply("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("Environment variable AWS_REGION is required (Lambda always sets it)");
        }
        String container = env.apply(CONTAINER_CREDENTIALS);
        AwsCredentialsProvider credentials = container == null || container.isBlank()
                ? EnvironmentVariableCredentialsProvider.create()
                : ContainerCredentialsProvider.create();
        return new LambdaClients(Region.of(region), credentials, env);
    }

    /** Clients with the region, credentials and environment (for endpoints) given, as the benchmarks aim them. */
    public static LambdaClients of(Region region, AwsCredentialsProvider credentials, Function<String, String> env) {
        return new LambdaClients(region, credentials, env);
    }

    /** The region the clients call. */
    public Region region() {
        return region;
    }

    /** The credentials the clients sign with. */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** The DynamoDB client of the handlers on the request path: the SDK's interface without its client runtime. */
    public DynamoDbClient dynamoDb() {
        return LightDynamoDbClient.create(region.id(), credentials, env);
    }

    /**
     * A client of another service that speaks the AWS JSON protocol, over the same light path.
     *
     * @see AwsJsonClient
     */
    public AwsJsonClient json(AwsJsonClient.Service service, AwsJsonClient.Timeouts timeouts) {
        return AwsJsonClient.create(service, region.id(), credentials, timeouts, env);
    }

    /** Sets the region, the credentials and the HTTP client of an SDK client builder. */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> B configure(B builder) {
        builder.region(region).credentialsProvider(credentials);
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        return builder;
    }
}
