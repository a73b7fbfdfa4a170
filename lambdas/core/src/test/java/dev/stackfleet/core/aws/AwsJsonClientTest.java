package dev.stackfleet.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The JSON protocol client against a scripted HTTP server: what it sends, how it reads a reply or an error into
 * the SDK's model, and which failures it retries. (Against the emulator it is the client of local mode's API and
 * stream handler, so every end-to-end test runs it too.)
 */
class AwsJsonClientTest {

    private record Scripted(int status, String body, Map<String, String> headers) {}

    private record Received(Map<String, List<String>> headers, String body) {}

    private final ConcurrentLinkedQueue<Scripted> replies = new ConcurrentLinkedQueue<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;
    private LightDynamoDbClient dynamoDb;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        dynamoDb = new LightDynamoDbClient(new AwsJsonClient(
                LightDynamoDbClient.DYNAMODB,
                endpoint,
                "eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
                AwsJsonClient.Timeouts.DEFAULT,
                Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        received.add(new Received(
                exchange.getRequestHeaders(),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Scripted reply = replies.remove();
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private void reply(int status, String body) {
        replies.add(new Scripted(status, body, Map.of("x-amz-crc32", Long.toString(crc32(body)))));
    }

    private static long crc32(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static GetItemRequest getItem() {
        return GetItemRequest.builder()
                .tableName("gameservers")
                .key(Map.of("owner", AttributeValue.fromS("alice")))
                .consistentRead(true)
                .build();
    }

    @Test
    void sendsTheRequestAsTheProtocolSpellsItAndReadsTheReplyIntoTheModel() {
        reply(
                200,
                "{\"Item\": {\"owner\": {\"S\": \"alice\"}, \"generation\": {\"N\": \"3\"},"
                        + " \"paused\": {\"BOOL\": false}, \"gone\": {\"NULL\": true}, \"blob\": {\"B\": \"AQI=\"},"
                        + " \"config\": {\"M\": {\"seeds\": {\"L\": [{\"S\": \"a\"}, {\"N\": \"1\"}]}}}},"
                        + " \"ConsumedCapacity\": {\"TableName\": \"gameservers\", \"CapacityUnits\": 1.5},"
                        + " \"SomethingNew\": {\"ignored\": [1, 2]}}");

        GetItemResponse response = dynamoDb.getItem(getItem());

        Received request = received.getFirst();
        assertEquals(List.of("DynamoDB_20120810.GetItem"), request.headers().get("X-amz-target"));
        assertEquals(List.of("application/x-amz-json-1.0"), request.headers().get("Content-type"));
        assertTrue(request.headers().get("Authorization").getFirst().startsWith("AWS4-HMAC-SHA256 Credential=AKID/"));
        assertEquals(
                "{\"TableName\":\"gameservers\",\"Key\":{\"owner\":{\"S\":\"alice\"}},\"ConsistentRead\":true}",
                request.body());
        Map<String, AttributeValue> item = response.item();
        assertEquals("alice", item.get("owner").s());
        assertEquals("3", item.get("generation").n());
        assertEquals(false, item.get("paused").bool());
        assertEquals(true, item.get("gone").nul());
        assertEquals(SdkBytes.fromByteArray(new byte[] {1, 2}), item.get("blob").b());
        assertEquals("1", item.get("config").m().get("seeds").l().get(1).n());
        assertEquals(1.5, response.consumedCapacity().capacityUnits());
    }

    @Test
    void aServiceErrorIsItsModelledExceptionAndIsNotRetried() {
        reply(
                400,
                "{\"__type\": \"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                        + " \"message\": \"The conditional request failed\"}");

        ConditionalCheckFailedException e =
                assertThrows(ConditionalCheckFailedException.class, () -> dynamoDb.getItem(getItem()));

        assertEquals("ConditionalCheckFailedException", e.awsErrorDetails().errorCode());
        assertEquals("The conditional request failed", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        assertEquals(1, received.size());
    }

    @Test
    void anErrorsOwnMembersAreRead() {
        reply(
                400,
                "{\"__type\": \"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                        + " \"Message\": \"Transaction cancelled\", \"CancellationReasons\":"
                        + " [{\"Code\": \"None\"}, {\"Code\": \"ConditionalCheckFailed\", \"Message\": \"no\"}]}");

        TransactionCanceledException e =
                assertThrows(TransactionCanceledException.class, () -> dynamoDb.getItem(getItem()));

        assertEquals("ConditionalCheckFailed", e.cancellationReasons().get(1).code());
        assertEquals("Transaction cancelled", e.awsErrorDetails().errorMessage());
    }

    @Test
    void anErrorCodeWithoutAClassIsTheServicesBaseException() {
        reply(400, "{\"__type\": \"com.amazonaws.dynamodb.v20120810#BrandNewException\", \"message\": \"new\"}");

        DynamoDbException e = assertThrows(DynamoDbException.class, () -> dynamoDb.getItem(getItem()));

        assertEquals(DynamoDbException.class, e.getClass());
        assertEquals("BrandNewException", e.awsErrorDetails().errorCode());
    }

    @Test
    void aServerErrorIsRetriedUntilItPasses() {
        reply(500, "{\"__type\": \"InternalServerError\", \"message\": \"try again\"}");
        reply(200, "{}");

        GetItemResponse response = dynamoDb.getItem(getItem());

        assertEquals(false, response.hasItem());
        assertEquals(2, received.size());
    }

    @Test
    void throttlingIsRetriedAndSurfacedAfterTheLastAttempt() {
        for (int i = 0; i < AwsJsonClient.MAX_ATTEMPTS; i++) {
            reply(
                    400,
                    "{\"__type\": \"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                            + " \"message\": \"slow down\"}");
        }

        DynamoDbException e = assertThrows(DynamoDbException.class, () -> dynamoDb.getItem(getItem()));

        assertTrue(e.isThrottlingException());
        assertEquals(AwsJsonClient.MAX_ATTEMPTS, received.size());
    }

    @Test
    void aReplyDamagedOnTheWayIsRetriedThenAClientError() {
        for (int i = 0; i < AwsJsonClient.MAX_ATTEMPTS; i++) {
            replies.add(new Scripted(200, "{}", Map.of("x-amz-crc32", "12345")));
        }

        SdkClientException e = assertThrows(SdkClientException.class, () -> dynamoDb.getItem(getItem()));

        assertTrue(e.getMessage().contains("CRC32"), e.getMessage());
        assertEquals(AwsJsonClient.MAX_ATTEMPTS, received.size());
    }

    @Test
    void anUnreachableEndpointIsAClientError() {
        server.stop(0);

        SdkClientException e = assertThrows(SdkClientException.class, () -> dynamoDb.getItem(getItem()));

        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void theEndpointIsTheEnvironmentsAsTheSdkReadsItElseTheRegionalOne() {
        AwsJsonClient.Service service = LightDynamoDbClient.DYNAMODB;
        assertEquals(
                URI.create("https://dynamodb.eu-west-1.amazonaws.com"),
                AwsJsonClient.endpoint(service, "eu-west-1", Map.<String, String>of()::get));
        assertEquals(
                URI.create("https://dynamodb.cn-north-1.amazonaws.com.cn"),
                AwsJsonClient.endpoint(service, "cn-north-1", Map.<String, String>of()::get));
        assertEquals(
                URI.create("http://127.0.0.1:5000"),
                AwsJsonClient.endpoint(service, "eu-west-1", Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")::get));
        assertEquals(
                URI.create("http://127.0.0.1:6000"),
                AwsJsonClient.endpoint(
                        service,
                        "eu-west-1",
                        Map.of(
                                "AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
                                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:6000")::get));
    }
}
