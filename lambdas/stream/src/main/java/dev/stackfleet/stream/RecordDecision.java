package dev.stackfleet.stream;

import dev.stackfleet.core.Intent;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What the stream Lambda does with one record. */
public sealed interface RecordDecision {

    /**
     * Start the execution for an intent.
     *
     * @param intent what the execution achieves
     * @param image the item the execution's input is read from (the new image, or the old one for a REMOVE)
     */
    record Start(Intent intent, Map<String, AttributeValue> image) implements RecordDecision {
        public Start {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(image, "image");
        }
    }

    /** Nothing to do, for the reason given (e.g. a workflow's status write). */
    record Ignore(String why) implements RecordDecision {}

    /** The record can never succeed as it is: send it to the dead-letter queue with this reason. */
    record DeadLetter(String reason) implements RecordDecision {}
}
