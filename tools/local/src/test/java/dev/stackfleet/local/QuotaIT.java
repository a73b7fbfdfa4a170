package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stackfleet.core.ItemAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The per-owner quota against a real emulator process, through the local gateway and the workflows: the slots
 * that a deletion frees, by the owner or by an operator removing the item. (Racing creates: {@link QuotaRaceIT}.)
 */
class QuotaIT {

    private static final int LIMIT = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String CONFIG = "{\"difficulty\": \"easy\", \"player_count\": 2}";

    private static TestEnvironment environment;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("quota", new LocalControlPlane.Options(0, true, null, LIMIT));
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void theOwnersDeleteFreesASlot() {
        // GIVEN dora is at her limit
        ApiClient dora = client("dora");
        List<String> ids = createUpToTheLimit(dora);
        assertEquals("quota_exceeded", dora.create(CONFIG).body().path("error").asText());

        // WHEN she deletes one of her servers
        assertEquals(202, dora.delete(ids.get(0)).status());

        // THEN she may create one more, and only one
        ApiClient.Response another = dora.create(CONFIG);
        assertEquals(201, another.status(), another.body().toString());
        assertEquals("quota_exceeded", dora.create(CONFIG).body().path("error").asText());
        // AND once the deprovision workflow removed the item (releasing the slot again), the slots still
        // match her live servers
        Await.until(DEADLINE, ids.get(0) + " removed", () -> storedIds("dora").contains(ids.get(0)), gone -> !gone);
        Set<String> live = new TreeSet<>(ids.subList(1, LIMIT));
        live.add(another.body().path("gameserver_id").asText());
        assertEquals(live, environment.quotaSlots("dora"));
    }

    @Test
    void anOperatorRemovingAnItemFreesItsSlotThroughTheDeprovisionWorkflow() {
        // GIVEN olga is at her limit
        ApiClient olga = client("olga");
        List<String> ids = createUpToTheLimit(olga);
        String removed = ids.get(0);
        Await.until(
                DEADLINE,
                removed + " ACTIVE",
                () -> olga.get(removed).body().path("status").asText(),
                "ACTIVE"::equals);

        // WHEN an operator deletes one item from the table by hand
        try (var dynamoDb = environment.aws().dynamoDb()) {
            dynamoDb.deleteItem(r -> r.tableName(LocalResources.TABLE_NAME)
                    .key(Map.of(
                            ItemAttributes.OWNER,
                            AttributeValue.fromS("olga"),
                            ItemAttributes.GAMESERVER_ID,
                            AttributeValue.fromS(removed))));
        }

        // THEN the deprovision workflow releases its slot, and olga may create one more, and only one
        Await.until(
                DEADLINE,
                removed + "'s slot released",
                () -> environment.quotaSlots("olga"),
                slots -> !slots.contains(removed));
        assertEquals(201, olga.create(CONFIG).status());
        assertEquals("quota_exceeded", olga.create(CONFIG).body().path("error").asText());
    }

    private static List<String> createUpToTheLimit(ApiClient owner) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            ApiClient.Response created = owner.create(CONFIG);
            assertEquals(201, created.status(), created.body().toString());
            ids.add(created.body().path("gameserver_id").asText());
        }
        return ids;
    }

    private static ApiClient client(String user) {
        return new ApiClient(environment.controlPlane().apiUrl(), user);
    }

    /** The owner's server ids as the table holds them (an operator's view, not the API's). */
    private static Set<String> storedIds(String owner) {
        try (var dynamoDb = environment.aws().dynamoDb()) {
            return dynamoDb
                    .queryPaginator(r -> r.tableName(LocalResources.TABLE_NAME)
                            .keyConditionExpression(ItemAttributes.OWNER + " = :owner")
                            .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))))
                    .items()
                    .stream()
                    .map(item -> item.get("gameserver_id").s())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
