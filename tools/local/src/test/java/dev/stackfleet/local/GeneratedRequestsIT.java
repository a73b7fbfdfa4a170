package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.GeneratedInput;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Generated bad input through the local gateway against the real store on the emulator: bodies that are not just
 * {@code {"config": ...}} on create and change, and ids of every shape on every route. Each is refused with a
 * documented 4xx, never a 5xx, and both tables are exactly as they were. The stream poller is off, so nothing but
 * the API writes. {@code -Dstackfleet.generated.seed=S} and {@code -Dstackfleet.generated.emulator.cases=N}
 * (default 60) repeat or extend a run.
 */
class GeneratedRequestsIT {

    private static final long SEED = Long.getLong("stackfleet.generated.seed", 20261130L);
    private static final int CASES = Integer.getInteger("stackfleet.generated.emulator.cases", 60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestEnvironment environment;
    private static ApiClient alice;
    private static String aliceServer;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("generated", new LocalControlPlane.Options(0, false, null));
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        ApiClient.Response created = alice.create("{\"difficulty\": \"easy\", \"player_count\": 2}");
        assertEquals(201, created.status(), created.body().toString());
        aliceServer = created.body().path("gameserver_id").asText();
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void generatedBadRequestsAreRefusedAndWriteNothingToTheTables() {
        Random random = new Random(SEED);
        try (DynamoDbClient dynamo = environment.aws().dynamoDb()) {
            for (int n = 0; n < CASES; n++) {
                // GIVEN the tables as they are
                List<Map<String, AttributeValue>> before = tables(dynamo);

                // WHEN a generated bad request arrives
                String[] request = badRequest(random);
                ApiClient.Response response = alice.send(request[0], request[1], request[2]);

                // THEN it is refused with a documented error, and nothing changed
                String what = "seed " + SEED + ", case " + n + ": " + String.join(" ", request);
                assertTrue(
                        response.status() >= 400 && response.status() < 500,
                        what + " -> " + response.status() + " " + response.body());
                List<String> fields = new ArrayList<>();
                response.body().fieldNames().forEachRemaining(fields::add);
                assertEquals(
                        List.of("error", "message"), fields.stream().sorted().toList(), what);
                assertEquals(before, tables(dynamo), what + " wrote");
            }
        }
    }

    /** Method, path and body of a request that must be refused. */
    private static String[] badRequest(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> new String[] {"POST", "/gameservers", notConfigOnly(random)};
            case 1 -> new String[] {"PATCH", "/gameservers/" + aliceServer, notConfigOnly(random)};
            default -> {
                String id =
                        URLEncoder.encode(GeneratedInput.text(random, 1 + random.nextInt(30)), StandardCharsets.UTF_8);
                String method = new String[] {"GET", "PATCH", "DELETE"}[random.nextInt(3)];
                yield new String[] {method, "/gameservers/" + id, method.equals("PATCH") ? "{\"config\": {}}" : null};
            }
        };
    }

    /** A generated body that is anything but an object whose only member is {@code config}. */
    private static String notConfigOnly(Random random) {
        while (true) {
            String body = GeneratedInput.body(random);
            try {
                JsonNode parsed = JSON.readTree(body);
                if (parsed == null || !parsed.isObject() || parsed.size() != 1 || !parsed.has("config")) {
                    return body;
                }
            } catch (IOException notJson) {
                return body;
            }
        }
    }

    private static List<Map<String, AttributeValue>> tables(DynamoDbClient dynamo) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (String table : List.of(LocalResources.TABLE_NAME, LocalResources.QUOTA_TABLE_NAME)) {
            dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true))
                    .items()
                    .forEach(items::add);
        }
        items.sort((a, b) -> a.toString().compareTo(b.toString()));
        return items;
    }
}
