package dev.stackfleet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.LifecyclePipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The lifecycle events as a subscriber sees them: a rule on the {@value LifecyclePipe#BUS_NAME} bus delivers to a
 * queue, and a server's create, update and delete, and another's failed create, arrive there in order, each in the
 * shape docs/lifecycle-events.md documents.
 */
class LifecycleEventsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static TestEnvironment environment;
    private static ApiClient alice;
    private static String queueUrl;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("lifecycle-events");
        alice = new ApiClient(environment.controlPlane().apiUrl(), "alice");
        // GIVEN a subscriber: a rule on the bus for every lifecycle event, delivering to its queue
        try (var sqs = environment.aws().sqs();
                var eventBridge = environment.aws().eventBridge()) {
            queueUrl = sqs.createQueue(r -> r.queueName("lifecycle-subscriber")).queueUrl();
            String queueArn = sqs.getQueueAttributes(
                            r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            eventBridge.putRule(r -> r.name("all-lifecycle-events")
                    .eventBusName(LifecyclePipe.BUS_NAME)
                    .eventPattern("{\"source\": [\"stackfleet.gameservers\"],"
                            + " \"detail-type\": [\"GameServer Status Changed\"]}"));
            eventBridge.putTargets(r -> r.rule("all-lifecycle-events")
                    .eventBusName(LifecyclePipe.BUS_NAME)
                    .targets(Target.builder().id("queue").arn(queueArn).build()));
        }
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void aCreateAnUpdateADeleteAndAFailedCreateArePublishedInOrderInTheDocumentedShape() {
        // WHEN alice's server is created, changed and deleted
        String id = alice.create("{\"difficulty\": \"easy\", \"player_count\": 2}")
                .body()
                .path("gameserver_id")
                .asText();
        Await.until(
                DEADLINE,
                id + " ACTIVE",
                () -> alice.get(id).body().path("status").asText(),
                "ACTIVE"::equals);
        alice.update(id, "{\"player_count\": 3}");
        Await.until(
                DEADLINE,
                id + " ACTIVE at generation 2",
                () -> alice.get(id).body(),
                body -> body.path("observed_generation").asLong() == 2
                        && "ACTIVE".equals(body.path("status").asText()));
        alice.delete(id);
        Await.until(DEADLINE, id + " gone", () -> alice.get(id).status(), status -> status == 404);
        // AND another server cannot be created
        environment.releaseBrokenGameServerTemplate();
        String broken = alice.create("{\"difficulty\": \"hard\", \"player_count\": 6}")
                .body()
                .path("gameserver_id")
                .asText();
        Await.until(
                DEADLINE,
                broken + " CREATE_FAILED",
                () -> alice.get(broken).body().path("status").asText(),
                "CREATE_FAILED"::equals);
        Map<String, AttributeValue> failed = environment.storedItem("alice", broken);
        environment.restoreGameServerTemplate();

        // THEN the subscriber receives four events: the first server's three, then the failure
        List<JsonNode> events = new ArrayList<>();
        Await.until(DEADLINE, "four lifecycle events", () -> receive(events), received -> received.size() >= 4);
        assertEquals(4, events.size(), events.toString());
        for (JsonNode event : events) {
            assertEquals("stackfleet.gameservers", event.path("source").asText(), event.toString());
            assertEquals("GameServer Status Changed", event.path("detail-type").asText(), event.toString());
        }
        List<JsonNode> details =
                events.stream().map(event -> event.path("detail")).toList();
        // AND the stream's sequence numbers order them as they happened
        List<BigInteger> sequences = details.stream()
                .map(detail -> new BigInteger(detail.path("sequence").asText()))
                .toList();
        assertEquals(sequences.stream().sorted().toList(), sequences);
        assertEquals(4, sequences.stream().distinct().count(), sequences.toString());
        // AND each has the documented shape: created, updated, deleted, failed with its reason
        assertEquals(
                List.of(
                        detail("MODIFY", id, "ACTIVE", "CREATING", "1", "", execution("provision", id + "-create-g1"))
                                .put("sequence", sequences.get(0).toString()),
                        detail("MODIFY", id, "ACTIVE", "UPDATING", "2", "", execution("provision", id + "-update-g2"))
                                .put("sequence", sequences.get(1).toString()),
                        detail("REMOVE", id, "", "DELETING", "2", "", "")
                                .put("sequence", sequences.get(2).toString()),
                        detail(
                                        "MODIFY",
                                        broken,
                                        "CREATE_FAILED",
                                        "CREATING",
                                        "1",
                                        failed.get("status_reason").s(),
                                        execution("provision", broken + "-create-g1"))
                                .put("sequence", sequences.get(3).toString())),
                details);
        assertTrue(
                details.get(3).path("reason").asText().contains(TestEnvironment.UNPASSED_PARAMETER),
                details.get(3).toString());
    }

    private static ObjectNode detail(
            String change,
            String id,
            String status,
            String previous,
            String generation,
            String reason,
            String executionArn) {
        return MAPPER.createObjectNode()
                .put("version", "1")
                .put("change", change)
                .put("gameserver_id", id)
                .put("owner", "alice")
                .put("status", status)
                .put("previous_status", previous)
                .put("generation", generation)
                .put("reason", reason)
                .put("execution_arn", executionArn);
    }

    private static String execution(String stateMachine, String name) {
        return "arn:aws:states:" + LocalAws.REGION.id() + ":" + LocalAws.ACCOUNT_ID + ":execution:stackfleet-"
                + stateMachine + ":" + name;
    }

    /** Adds what the queue holds now to {@code events}, in the order received, and returns them. */
    private static List<JsonNode> receive(List<JsonNode> events) {
        try (var sqs = environment.aws().sqs()) {
            List<Message> messages = sqs.receiveMessage(
                            r -> r.queueUrl(queueUrl).maxNumberOfMessages(10))
                    .messages();
            for (Message message : messages) {
                events.add(MAPPER.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
