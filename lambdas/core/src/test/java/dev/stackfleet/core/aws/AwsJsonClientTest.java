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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.SfnException;

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
    private final List<Long> pauses = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;
    private LightDynamoDbClient dynamoDb;
    private LightSfnClient sfn;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        dynamoDb = new LightDynamoDbClient(client(LightDynamoDbClient.DYNAMODB));
        sfn = new LightSfnClient(client(LightSfnClient.STEP_FUNCTIONS));
    }

    private AwsJsonClient client(AwsJsonClient.Service service) {
        return new AwsJsonClient(
                service,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
                AwsJsonClient.Timeouts.DEFAULT,
                Clock.systemUTC(),
                pauses::add);
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
    void throttlingIsRetriedAsTheSdksDynamoDbClientDidThenSurfaced() {
        for (int i = 0; i < AwsJsonClient.Retries.DYNAMODB.maxAttempts(); i++) {
            reply(
                    400,
                    "{\"__type\": \"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                            + " \"message\": \"slow down\"}");
        }

        DynamoDbException e = assertThrows(DynamoDbException.class, () -> dynamoDb.getItem(getItem()));

        assertTrue(e.isThrottlingException());
        assertEquals(9, received.size());
        // full jitter below 500 ms doubling, at most 20 s
        for (int i = 0; i < pauses.size(); i++) {
            assertTrue(pauses.get(i) <= Math.min(20_000, 500L << i), pauses.toString());
        }
        assertEquals(8, pauses.size());
    }

    @Test
    void aBareTooManyRequestsIsThrottling() {
        replies.add(new Scripted(429, "", Map.of()));
        reply(200, "{}");

        dynamoDb.getItem(getItem());

        assertEquals(2, received.size());
    }

    @Test
    void otherServicesGetTheSdksDefaultFourAttempts() {
        for (int i = 0; i < 4; i++) {
            replies.add(new Scripted(503, "{\"__type\": \"ServiceUnavailable\"}", Map.of()));
        }

        SfnException e = assertThrows(SfnException.class, () -> sfn.startExecution(r -> r.stateMachineArn("arn")));

        assertEquals(503, e.statusCode());
        assertEquals(4, received.size());
    }

    @Test
    void aStepFunctionsCodeNamesItsExceptionWithoutTheSuffix() {
        replies.add(new Scripted(
                400,
                "{\"__type\": \"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists\","
                        + " \"message\": \"Execution Already Exists: 'arn'\"}",
                Map.of()));

        ExecutionAlreadyExistsException e = assertThrows(
                ExecutionAlreadyExistsException.class, () -> sfn.startExecution(r -> r.stateMachineArn("arn")));

        assertEquals("ExecutionAlreadyExists", e.awsErrorDetails().errorCode());
        assertEquals("Sfn", e.awsErrorDetails().serviceName());
    }

    @Test
    void theErrorTypeHeaderComesFirstAndLosesItsUri() {
        replies.add(
                new Scripted(
                        400,
                        "{\"__type\": \"com.amazonaws.dynamodb.v20120810#ValidationException\", \"message\": \"no\"}",
                        Map.of(
                                "x-amzn-ErrorType",
                                "ConditionalCheckFailedException:http://internal.amazon.com/coral/com.amazon.coral.validate/")));

        ConditionalCheckFailedException e =
                assertThrows(ConditionalCheckFailedException.class, () -> dynamoDb.getItem(getItem()));

        assertEquals("ConditionalCheckFailedException", e.awsErrorDetails().errorCode());
    }

    @Test
    void anErrorPageThatIsNotJsonIsTheServicesExceptionWithItsStatusAndIsNotRetried() {
        replies.add(new Scripted(403, "<html><body>Forbidden by proxy</body></html>", Map.of()));

        DynamoDbException e = assertThrows(DynamoDbException.class, () -> dynamoDb.getItem(getItem()));

        assertEquals(403, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("Forbidden by proxy"), e.getMessage());
        assertEquals(1, received.size());
    }

    @Test
    void aReplyDamagedOnTheWayIsAClientErrorAndIsNotRetried() {
        replies.add(new Scripted(200, "{}", Map.of("x-amz-crc32", "12345")));

        SdkClientException e = assertThrows(SdkClientException.class, () -> dynamoDb.getItem(getItem()));

        assertInstanceOf(Crc32MismatchException.class, e);
        assertEquals(1, received.size());
    }

    @Test
    void aSuccessfulReplyThatCannotBeReadIsAClientErrorAndIsNotRetried() {
        reply(200, "{\"Item\": {\"blob\": {\"B\": \"not base64!\"}}}");

        assertThrows(SdkClientException.class, () -> dynamoDb.getItem(getItem()));

        assertEquals(1, received.size());
    }

    @Test
    void aGeneratedIdempotencyTokenIsTheSameOnEveryAttempt() {
        reply(500, "{\"__type\": \"InternalServerError\"}");
        reply(200, "{}");

        dynamoDb.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder()
                .put(p -> p.tableName("t").item(Map.of("owner", AttributeValue.fromS("alice"))))
                .build()));

        assertEquals(2, received.size());
        assertTrue(
                received.get(0).body().contains("\"ClientRequestToken\":\""),
                received.get(0).body());
        assertEquals(received.get(0).body(), received.get(1).body());
    }

    @Test
    void theSignatureIsTheSdkSignersForTheRequestAsItArrived() {
        reply(200, "{}");

        dynamoDb.getItem(getItem());

        Received request = received.getFirst();
        Instant signedAt = Instant.from(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .parse(request.headers().get("X-amz-date").getFirst()));
        SdkHttpRequest.Builder arrived = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://" + request.headers().get("Host").getFirst() + "/"));
        for (String name : List.of("Content-type", "X-amz-target")) {
            arrived.putHeader(name, request.headers().get(name).getFirst());
        }
        SignedRequest expected = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create("AKID", "secret"))
                        .request(arrived.build())
                        .payload(ContentStreamProvider.fromUtf8String(request.body()))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));

        assertEquals(
                expected.request().firstMatchingHeader("Authorization").orElseThrow(),
                request.headers().get("Authorization").getFirst());
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
