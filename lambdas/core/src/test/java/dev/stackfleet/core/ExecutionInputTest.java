package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ExecutionInputTest {

    private static final ExecutionInput.Poll POLL = new ExecutionInput.Poll(5, 60);
    private static final String ID = "gs-abcdefghij234567klmn";
    private static final Placement PLACEMENT =
            new Placement("123456789012", "us-east-1", "arn:aws:iam::123456789012:role/r");

    @Test
    void anItemGivesTheInputOfTheContractByteForByte() {
        // GIVEN the item of alice's server at generation 2
        Map<String, AttributeValue> item = item();

        // WHEN its update's input is built
        ExecutionInput input = ExecutionInput.fromItem(Intent.UPDATE, item, POLL);

        // THEN it is docs/contracts.md's shape, in its order, with player_count a JSON integer
        assertEquals(
                "{\"intent\":\"update\",\"owner\":\"alice\",\"gameserver_id\":\"" + ID + "\",\"generation\":2,"
                        + "\"stack_name\":\"stackfleet-" + ID + "\","
                        + "\"config\":{\"difficulty\":\"easy\",\"player_count\":4,\"seed\":\"s33d\"},"
                        + "\"placement\":{\"account_id\":\"123456789012\",\"region\":\"us-east-1\","
                        + "\"role_arn\":\"arn:aws:iam::123456789012:role/stackfleet-workload-access\"},"
                        + "\"poll\":{\"initial_seconds\":5,\"max_seconds\":60},\"release\":\"3f9a2c1d4b5e\"}",
                input.toJson());
        assertEquals(ID + "-update-g2", input.name().toString());
    }

    /**
     * Executions started before the input was written by hand got an ObjectMapper's bytes; a repeated start of one
     * that still runs is accepted only with the same bytes.
     */
    @Test
    void theInputIsWhatAnObjectMapperWroteBefore() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<ExecutionInput> inputs = List.of(
                ExecutionInput.fromItem(Intent.CREATE, item(), POLL),
                new ExecutionInput(
                        Intent.DELETE,
                        "o\"wner",
                        ID,
                        7,
                        "s",
                        new ExecutionInput.Config("hard", null, null),
                        PLACEMENT,
                        POLL,
                        null),
                update(new ExecutionInput.Config(null, new BigDecimal("4.50"), "é")),
                update(new ExecutionInput.Config("easy", 16, null)),
                update(new ExecutionInput.Config("easy", 4.1f, null)),
                update(new ExecutionInput.Config("easy", new BigInteger("123456789012345678901"), "x")));

        for (ExecutionInput input : inputs) {
            assertEquals(mapper.writeValueAsString(input), input.toJson());
        }
    }

    /** An update of generation 2 with this config. */
    private static ExecutionInput update(ExecutionInput.Config config) {
        return new ExecutionInput(Intent.UPDATE, "o", ID, 2, "s", config, PLACEMENT, POLL, "r1");
    }

    @Test
    void theInputReadsBackAsItWasWritten() throws Exception {
        ExecutionInput input = ExecutionInput.fromItem(Intent.CREATE, item(), POLL);

        assertEquals(input.toJson(), ExecutionInput.fromJson(input.toJson()).toJson());
    }

    @Test
    void aDeleteOfADamagedItemKeepsOnlyTheWellFormedConfigKeys() {
        // GIVEN an item whose config lost its player count and seed
        Map<String, AttributeValue> item = item();
        item.put(
                "config",
                AttributeValue.fromM(Map.of(
                        "difficulty", AttributeValue.fromS("hard"), "player_count", AttributeValue.fromS("four"))));

        // WHEN its delete is built; a create of the same item is refused
        ExecutionInput delete = ExecutionInput.fromItem(Intent.DELETE, item, POLL);

        // THEN
        assertEquals(new ExecutionInput.Config("hard", null, null), delete.config());
        MalformedItemException e =
                assertThrows(MalformedItemException.class, () -> ExecutionInput.fromItem(Intent.CREATE, item, POLL));
        assertEquals("config has no number attribute 'player_count'", e.getMessage());
    }

    @Test
    void aCreateOrUpdateNeedsTheReleaseToConvergeToButADeleteDoesNot() {
        Map<String, AttributeValue> item = item();
        item.remove("release");

        assertEquals(null, ExecutionInput.fromItem(Intent.DELETE, item, POLL).release());
        assertThrows(MalformedItemException.class, () -> ExecutionInput.fromItem(Intent.UPDATE, item, POLL));
    }

    @Test
    void anItemWithoutPlacementIsMalformed() {
        Map<String, AttributeValue> item = item();
        item.remove("placement");

        MalformedItemException e =
                assertThrows(MalformedItemException.class, () -> ExecutionInput.fromItem(Intent.DELETE, item, POLL));
        assertEquals("item has no map attribute 'placement'", e.getMessage());
    }

    @Test
    void theCurrentIntentFollowsTheDeletionRequestAndTheGeneration() {
        assertEquals(Intent.CREATE, Intent.current(false, 1));
        assertEquals(Intent.UPDATE, Intent.current(false, 2));
        assertEquals(Intent.DELETE, Intent.current(true, 1));
    }

    static Map<String, AttributeValue> item() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("owner", AttributeValue.fromS("alice"));
        item.put("gameserver_id", AttributeValue.fromS(ID));
        item.put("generation", AttributeValue.fromN("2"));
        item.put("stack_name", AttributeValue.fromS("stackfleet-" + ID));
        item.put("status", AttributeValue.fromS("UPDATE_PENDING"));
        item.put("release", AttributeValue.fromS("3f9a2c1d4b5e"));
        item.put(
                "config",
                AttributeValue.fromM(Map.of(
                        "difficulty",
                        AttributeValue.fromS("easy"),
                        "player_count",
                        AttributeValue.fromN("4"),
                        "seed",
                        AttributeValue.fromS("s33d"))));
        item.put(
                "placement",
                AttributeValue.fromM(Map.of(
                        "account_id",
                        AttributeValue.fromS("123456789012"),
                        "region",
                        AttributeValue.fromS("us-east-1"),
                        "role_arn",
                        AttributeValue.fromS("arn:aws:iam::123456789012:role/stackfleet-workload-access"))));
        return item;
    }
}
