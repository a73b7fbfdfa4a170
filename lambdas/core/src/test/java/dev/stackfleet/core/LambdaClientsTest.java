package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stackfleet.core.aws.AwsJsonClient;
import dev.stackfleet.core.aws.LightDynamoDbClient;
import dev.stackfleet.core.aws.LightSfnClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The clients' region and credentials are the ones Lambda provides, named outright, never a default chain. */
class LambdaClientsTest {

    @Test
    void aPlainFunctionSignsWithTheEnvironmentsCredentialsInItsRegion() {
        LambdaClients clients = LambdaClients.fromEnvironment(Map.of("AWS_REGION", "eu-west-1")::get);

        try (DynamoDbClient dynamoDb =
                clients.configure(DynamoDbClient.builder()).build()) {
            assertEquals(Region.EU_WEST_1, dynamoDb.serviceClientConfiguration().region());
        }
        assertInstanceOf(EnvironmentVariableCredentialsProvider.class, clients.credentials());
    }

    @Test
    void underSnapStartTheCredentialsComeFromTheContainerEndpoint() {
        LambdaClients clients = LambdaClients.fromEnvironment(Map.of(
                "AWS_REGION", "eu-west-1",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2018-06-01/credentials")::get);

        assertInstanceOf(ContainerCredentialsProvider.class, clients.credentials());
    }

    @Test
    void withoutARegionTheInitFailsNamingTheVariable() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> LambdaClients.fromEnvironment(Map.<String, String>of()::get));

        assertEquals("Environment variable AWS_REGION is required (Lambda always sets it)", e.getMessage());
    }

    @Test
    void theRequestPathCallsGoThroughTheLightClientsAtTheRegionsEndpointsUnlessTheEnvironmentNamesOne() {
        LambdaClients regional = LambdaClients.fromEnvironment(Map.of("AWS_REGION", "eu-west-1")::get);
        LambdaClients local = LambdaClients.fromEnvironment(
                Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:5000")::get);

        assertInstanceOf(LightDynamoDbClient.class, regional.dynamoDb());
        assertEquals(
                URI.create("https://states.eu-west-1.amazonaws.com"),
                regional.json(LightSfnClient.STEP_FUNCTIONS, AwsJsonClient.Timeouts.DEFAULT)
                        .endpoint());
        assertEquals(
                URI.create("http://127.0.0.1:5000"),
                local.json(LightSfnClient.STEP_FUNCTIONS, AwsJsonClient.Timeouts.DEFAULT)
                        .endpoint());
    }
}
