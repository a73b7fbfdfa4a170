package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stackfleet.core.ItemAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The per-owner quota holds exactly when one owner's creates race, against a real emulator process through the
 * local gateway. The stream poller is off: this is about the API's writes alone, and no workflow writes while the
 * emulator undoes the cancelled transactions (by putting back copies of the tables, see {@link SerializedWrites}).
 */
class QuotaRaceIT {

    private static final int LIMIT = 10;
    private static final int PARALLEL_CREATES = 30;
    private static final String CONFIG = "{\"difficulty\": \"easy\", \"player_count\": 2}";

    private static TestEnvironment environment;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("quota-race", new LocalControlPlane.Options(0, false, null, LIMIT));
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void parallelCreatesOfOneOwnerStopExactlyAtTheLimit() throws Exception {
        // GIVEN 30 creates of one owner, released at the same moment
        ApiClient quinn = new ApiClient(environment.controlPlane().apiUrl(), "quinn");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiClient.Response>> pending = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(PARALLEL_CREATES)) {
            for (int i = 0; i < PARALLEL_CREATES; i++) {
                pending.add(threads.submit(() -> {
                    go.await();
                    return quinn.create(CONFIG);
                }));
            }
            // WHEN
            go.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> response : pending) {
                responses.add(response.get());
            }

            // THEN exactly the limit is created, every other request is refused, and the table agrees
            Map<String, Long> outcomes = responses.stream()
                    .collect(Collectors.groupingBy(
                            r -> r.status() + " " + r.body().path("error").asText(""), Collectors.counting()));
            assertEquals(
                    Map.of("201 ", (long) LIMIT, "403 quota_exceeded", (long) (PARALLEL_CREATES - LIMIT)), outcomes);
            Set<String> created = responses.stream()
                    .filter(r -> r.status() == 201)
                    .map(r -> r.body().path("gameserver_id").asText())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(created, storedIds("quinn"));
            assertEquals(created, environment.quotaSlots("quinn"));
        }
    }

    private static Set<String> storedIds(String owner) {
        try (var dynamoDb = environment.aws().dynamoDb()) {
            return dynamoDb
                    .queryPaginator(r -> r.tableName(LocalResources.TABLE_NAME)
                            .keyConditionExpression(ItemAttributes.OWNER + " = :owner")
                            .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))))
                    .items()
                    .stream()
                    .map(item -> item.get(ItemAttributes.GAMESERVER_ID).s())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
