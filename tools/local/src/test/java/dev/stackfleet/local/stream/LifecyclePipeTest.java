package dev.stackfleet.local.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.LifecyclePipe;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lifecycle-event pipe's filters and input template ({@code cdk/src/main/resources/lifecycle-events.json}), as local mode applies
 * them, on stream records of the shape {@code test-events/stream} holds: which status changes are published, and
 * the exact detail of each.
 */
class LifecyclePipeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path ROOT = Path.of("../..");
    private static final LifecyclePipe PIPE = LifecyclePipe.read(ROOT.resolve(LifecyclePipe.FILE));
    private static final EventFilter FILTER = EventFilter.of(PIPE.filters());
    private static final PipeInputTemplate TEMPLATE = PipeInputTemplate.of(PIPE.inputTemplate());
    private static final String ID = "gs-abcdefghij234567klmn";
    private static final String EXECUTION =
            "arn:aws:states:us-east-1:123456789012:execution:stackfleet-provision:" + ID + "-create-g1";

    @Test
    void aCreateThatReachedActiveIsPublishedWithItsExecution() throws IOException {
        // GIVEN the workflow's write of ACTIVE over CREATING
        JsonNode record = record("modify-status-only.json");

        // THEN it passes, as this detail
        assertTrue(FILTER.matches(record));
        assertEquals(
                detail("MODIFY", "ACTIVE", "CREATING", "1", "", EXECUTION, "100000000000000000004"),
                TEMPLATE.render(record));
    }

    @Test
    void anUpdateThatReachedActiveIsPublished() throws IOException {
        // GIVEN the workflow's write of ACTIVE over UPDATING, at generation 2
        ObjectNode record = record("modify-status-only.json");
        image(record, "OldImage").set("status", string("UPDATING"));
        image(record, "OldImage").set("generation", MAPPER.createObjectNode().put("N", "2"));
        image(record, "NewImage").set("generation", MAPPER.createObjectNode().put("N", "2"));

        // THEN it passes, as this detail
        assertTrue(FILTER.matches(record));
        assertEquals(
                detail("MODIFY", "ACTIVE", "UPDATING", "2", "", EXECUTION, "100000000000000000004"),
                TEMPLATE.render(record));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({
        "CREATE_FAILED, CREATING",
        "CREATE_FAILED, CREATE_PENDING",
        "UPDATE_FAILED, UPDATING",
        "DELETE_FAILED, DELETING"
    })
    void aFailureIsPublishedWithItsReason(String failed, String before) throws IOException {
        // GIVEN the workflow's write of a failure with its reason
        ObjectNode record = record("modify-status-only.json");
        image(record, "OldImage").set("status", string(before));
        image(record, "NewImage").set("status", string(failed));
        image(record, "NewImage").set("status_reason", string("Stack \"x\" is ROLLBACK_COMPLETE: <see events>"));

        // THEN it passes, the reason escaped as any string
        assertTrue(FILTER.matches(record));
        assertEquals(
                detail(
                        "MODIFY",
                        failed,
                        before,
                        "1",
                        "Stack \"x\" is ROLLBACK_COMPLETE: <see events>",
                        EXECUTION,
                        "100000000000000000004"),
                TEMPLATE.render(record));
    }

    @Test
    void theRemovalByAFinishedDeprovisionIsPublishedWithoutAStatus() throws IOException {
        // GIVEN the deprovision's removal of a delete-requested item (no new image)
        JsonNode record = record("remove-finished-deprovision.json");

        // THEN it passes, as a REMOVE whose status and execution are empty: the item is gone
        assertTrue(FILTER.matches(record));
        assertEquals(detail("REMOVE", "", "DELETING", "3", "", "", "100000000000000000007"), TEMPLATE.render(record));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "insert.json",
        "insert-keys-only.json",
        "modify-config-change.json",
        "modify-delete-requested.json",
        "remove-by-operator.json"
    })
    void requestsAndAnOperatorsRemovalAreNotPublished(String file) throws IOException {
        assertFalse(FILTER.matches(record(file)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({
        "ACTIVE, ACTIVE",
        "CREATE_FAILED, CREATE_FAILED",
        "UPDATE_FAILED, UPDATE_FAILED",
        "DELETE_FAILED, DELETE_FAILED",
        "CREATING, CREATE_PENDING",
        "DELETING, DELETE_PENDING",
        "ACTIVE, DELETING"
    })
    void aRepeatedStatusAndTheInProgressWritesAreNotPublished(String now, String before) throws IOException {
        // GIVEN a status write that changes nothing, or one that is not a lifecycle step
        ObjectNode record = record("modify-status-only.json");
        image(record, "OldImage").set("status", string(before));
        image(record, "NewImage").set("status", string(now));

        assertFalse(FILTER.matches(record));
    }

    private static ObjectNode detail(
            String change,
            String status,
            String previous,
            String generation,
            String reason,
            String execution,
            String sequence) {
        return MAPPER.createObjectNode()
                .put("version", "1")
                .put("change", change)
                .put("gameserver_id", ID)
                .put("owner", "alice")
                .put("status", status)
                .put("previous_status", previous)
                .put("generation", generation)
                .put("reason", reason)
                .put("execution_arn", execution)
                .put("sequence", sequence);
    }

    private static ObjectNode record(String file) throws IOException {
        return (ObjectNode)
                MAPPER.readTree(ROOT.resolve("test-events/stream").resolve(file).toFile())
                        .path("Records")
                        .get(0);
    }

    private static ObjectNode image(ObjectNode record, String which) {
        return (ObjectNode) record.path("dynamodb").path(which);
    }

    private static ObjectNode string(String value) {
        return MAPPER.createObjectNode().put("S", value);
    }
}
