package dev.stackfleet.stream;

import static dev.stackfleet.core.ItemAttributes.DELETE_REQUESTED;
import static dev.stackfleet.core.ItemAttributes.GENERATION;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.stackfleet.core.Intent;
import dev.stackfleet.core.ItemReader;
import dev.stackfleet.core.MalformedItemException;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Decides which intent, if any, a stream record of the {@code gameservers} table carries
 * (docs/contracts.md, "Stream events to executions"):
 *
 * <ul>
 *   <li>INSERT whose new image has {@code generation}: {@code create};</li>
 *   <li>MODIFY whose {@code delete_requested} became true: {@code delete};</li>
 *   <li>MODIFY whose {@code generation} rose, deletion not requested: {@code update};</li>
 *   <li>REMOVE: {@code delete}, from the old image. Without {@code delete_requested} an operator removed the item;
 *       with it, the deprovision of that deletion may never have started (its record lost, or the item removed
 *       before it ran), and the deterministic name makes this start a no-op when it did;</li>
 *   <li>anything else (workflow status writes, keys-only INSERTs): nothing.</li>
 * </ul>
 *
 * <p>The event source mapping's filters let through only likely candidates, but this class checks every rule
 * again: filters are coarse and the local poller or a replay may deliver anything.
 */
public final class RecordClassifier {

    private static final String SOURCE = "aws:dynamodb";

    public RecordDecision classify(DynamodbStreamRecord record) {
        if (record == null || record.getDynamodb() == null) {
            return new RecordDecision.DeadLetter("record has no 'dynamodb' section");
        }
        if (record.getEventSource() != null && !SOURCE.equals(record.getEventSource())) {
            return new RecordDecision.DeadLetter("eventSource is '" + record.getEventSource() + "', not " + SOURCE);
        }
        String eventName = record.getEventName();
        Map<String, AttributeValue> newImage =
                StreamImages.toItem(record.getDynamodb().getNewImage());
        Map<String, AttributeValue> oldImage =
                StreamImages.toItem(record.getDynamodb().getOldImage());
        try {
            if ("INSERT".equals(eventName)) {
                return insert(newImage);
            }
            if ("MODIFY".equals(eventName)) {
                return modify(newImage, oldImage);
            }
            if ("REMOVE".equals(eventName)) {
                return remove(oldImage);
            }
        } catch (MalformedItemException e) {
            return new RecordDecision.DeadLetter(e.getMessage());
        }
        return new RecordDecision.DeadLetter("unknown eventName '" + eventName + "'");
    }

    private static RecordDecision insert(Map<String, AttributeValue> newImage) {
        if (newImage == null) {
            return new RecordDecision.DeadLetter("INSERT without NewImage: the stream must be NEW_AND_OLD_IMAGES");
        }
        if (!ItemReader.has(newImage, GENERATION)) {
            return new RecordDecision.Ignore("INSERT without generation (keys-only)");
        }
        ItemReader.positiveLong(newImage, GENERATION, "NewImage");
        return new RecordDecision.Start(Intent.CREATE, newImage);
    }

    private static RecordDecision modify(Map<String, AttributeValue> newImage, Map<String, AttributeValue> oldImage) {
        if (newImage == null || oldImage == null) {
            return new RecordDecision.DeadLetter(
                    "MODIFY without NewImage and OldImage: the stream must be NEW_AND_OLD_IMAGES");
        }
        boolean deleteNow = ItemReader.isTrue(newImage, DELETE_REQUESTED);
        boolean deleteBefore = ItemReader.isTrue(oldImage, DELETE_REQUESTED);
        if (deleteNow && !deleteBefore) {
            ItemReader.positiveLong(newImage, GENERATION, "NewImage");
            return new RecordDecision.Start(Intent.DELETE, newImage);
        }
        if (deleteNow) {
            return new RecordDecision.Ignore("deletion already requested before this write");
        }
        if (deleteBefore) {
            return new RecordDecision.Ignore("delete_requested was cleared; a deletion is never taken back");
        }
        long newGeneration = ItemReader.positiveLong(newImage, GENERATION, "NewImage");
        long oldGeneration = ItemReader.positiveLong(oldImage, GENERATION, "OldImage");
        if (newGeneration > oldGeneration) {
            return new RecordDecision.Start(Intent.UPDATE, newImage);
        }
        if (newGeneration < oldGeneration) {
            return new RecordDecision.Ignore("generation went down from " + oldGeneration + " to " + newGeneration);
        }
        return new RecordDecision.Ignore("generation unchanged (status-only write)");
    }

    private static RecordDecision remove(Map<String, AttributeValue> oldImage) {
        if (oldImage == null) {
            return new RecordDecision.DeadLetter("REMOVE without OldImage: the stream must be NEW_AND_OLD_IMAGES");
        }
        ItemReader.positiveLong(oldImage, GENERATION, "OldImage");
        return new RecordDecision.Start(Intent.DELETE, oldImage);
    }
}
