package dev.stackfleet.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.stackfleet.core.Intent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class RecordClassifierTest {

    private final RecordClassifier classifier = new RecordClassifier();

    private static DynamodbStreamRecord record(String file) {
        return EventLoader.loadDynamoDbEvent("stream/" + file).getRecords().get(0);
    }

    @ParameterizedTest
    @Event(value = "stream/modify-config-change.json", type = DynamodbEvent.class)
    void generationRiseWithDeletionAlsoRequestedIsADelete(DynamodbEvent event) {
        // GIVEN a write that raised generation and requested deletion at once
        DynamodbStreamRecord record = event.getRecords().get(0);
        Map<String, AttributeValue> image = new HashMap<>(record.getDynamodb().getNewImage());
        image.put("delete_requested", new AttributeValue().withBOOL(true));
        record.getDynamodb().setNewImage(image);

        // WHEN / THEN the deletion wins
        RecordDecision.Start start = assertInstanceOf(RecordDecision.Start.class, classifier.classify(record));
        assertEquals(Intent.DELETE, start.intent());
    }

    @Test
    void laterWriteOfADeletedServerIsIgnored() {
        // GIVEN a status write (DELETING) after deletion was requested
        DynamodbStreamRecord record = record("modify-delete-requested.json");
        record.getDynamodb().setOldImage(record.getDynamodb().getNewImage());

        // THEN nothing
        assertInstanceOf(RecordDecision.Ignore.class, classifier.classify(record));
    }

    @Test
    void modifyWithoutOldImageIsDeadLettered() {
        DynamodbStreamRecord record = record("modify-config-change.json");
        record.getDynamodb().setOldImage(null);

        RecordDecision.DeadLetter dead = assertInstanceOf(RecordDecision.DeadLetter.class, classifier.classify(record));
        assertEquals("MODIFY without NewImage and OldImage: the stream must be NEW_AND_OLD_IMAGES", dead.reason());
    }

    @Test
    void generationGoingDownIsIgnored() {
        DynamodbStreamRecord record = record("modify-config-change.json");
        Map<String, AttributeValue> old = record.getDynamodb().getOldImage();
        record.getDynamodb().setOldImage(record.getDynamodb().getNewImage());
        record.getDynamodb().setNewImage(old);

        RecordDecision.Ignore ignore = assertInstanceOf(RecordDecision.Ignore.class, classifier.classify(record));
        assertEquals("generation went down from 2 to 1", ignore.why());
    }

    @Test
    void unknownEventNameIsDeadLettered() {
        DynamodbStreamRecord record = record("insert.json");
        record.setEventName("UPSERT");

        assertInstanceOf(RecordDecision.DeadLetter.class, classifier.classify(record));
    }

    @Test
    void removeOfItemWithoutGenerationIsDeadLettered() {
        DynamodbStreamRecord record = record("remove-by-operator.json");
        Map<String, AttributeValue> old = new HashMap<>(record.getDynamodb().getOldImage());
        old.remove("generation");
        record.getDynamodb().setOldImage(old);

        RecordDecision.DeadLetter dead = assertInstanceOf(RecordDecision.DeadLetter.class, classifier.classify(record));
        assertEquals("OldImage has no number attribute 'generation'", dead.reason());
    }
}
