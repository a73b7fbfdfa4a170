package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.ConfigValidator;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.LoggingLambdaContext;
import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.core.TemplateParameters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A failing dependency is surfaced, never blamed on the caller: throttling and network faults that outlast
 * the SDK's retries become 503 (retry later), anything else 500; the details go to the log, not the caller.
 */
class DependencyFailuresTest {

    private final List<String> log = new ArrayList<>();

    @Test
    void throttlingIsA503TheCallerMayRetry() {
        // as the SDK builds it from DynamoDB's answer, once its own retries are spent
        ApiFixture.Response response = createWith(ProvisionedThroughputExceededException.builder()
                .message("Rate of requests exceeds the allowed throughput")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("Rate of requests exceeds the allowed throughput")
                        .build())
                .build());

        assertEquals(503, response.status());
        assertEquals("service_unavailable", response.error());
        assertTrue(log.get(0).contains("ProvisionedThroughputExceededException"), log.toString());
    }

    @Test
    void aNetworkFaultIsA503() {
        ApiFixture.Response response = createWith(SdkClientException.create("Unable to execute HTTP request"));

        assertEquals(503, response.status());
    }

    @Test
    void aTransactionThatKeepsConflictingIsA503() {
        // as the store rethrows it once its own attempts are spent
        ApiFixture.Response response = createWith(TransactionCanceledException.builder()
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons "
                        + "[None, TransactionConflict]")
                .statusCode(400)
                .cancellationReasons(
                        CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("TransactionConflict").build())
                .build());

        assertEquals(503, response.status());
        assertEquals("service_unavailable", response.error());
    }

    @Test
    void anyOtherServiceErrorIsA500WithoutItsDetails() {
        ApiFixture.Response response = createWith(DynamoDbException.builder()
                .message("Requested resource not found: Table: gameservers not found")
                .statusCode(400)
                .build());

        assertEquals(500, response.status());
        assertEquals("internal_error", response.error());
        assertFalse(
                response.body().toString().contains("gameservers"),
                response.body().toString());
        assertTrue(log.get(0).contains("Table: gameservers not found"), log.toString());
    }

    private ApiFixture.Response createWith(RuntimeException failure) {
        GameServerService service = new GameServerService(
                new FailingStore(failure),
                new ConfigValidator(TemplateParameters.gameServer()),
                ApiFixture.CONFIG,
                Clock.fixed(ApiFixture.NOW, java.time.ZoneOffset.UTC),
                () -> ApiFixture.SEEDED_ID);
        return new ApiFixture.Response(new CreateGameServerHandler(service)
                .handleRequest(ApiFixture.event("create.json"), new LoggingLambdaContext("stackfleet-api", log::add)));
    }

    /** A store whose every call fails the same way. */
    private record FailingStore(RuntimeException failure) implements GameServerStore {
        @Override
        public CreateOutcome create(GameServer server, int maxServersPerOwner) {
            throw failure;
        }

        @Override
        public Optional<String> currentRelease() {
            return Optional.of(ApiFixture.RELEASE);
        }

        @Override
        public List<PoolAccount> accountPool() {
            throw failure;
        }

        @Override
        public Optional<GameServer> get(String owner, String gameServerId) {
            throw failure;
        }

        @Override
        public Page list(String owner, int limit, String nextToken) {
            throw failure;
        }

        @Override
        public boolean updateConfig(GameServer updated, long expectedGeneration) {
            throw failure;
        }

        @Override
        public Optional<GameServer> requestDelete(String owner, String gameServerId, Instant now) {
            throw failure;
        }
    }
}
