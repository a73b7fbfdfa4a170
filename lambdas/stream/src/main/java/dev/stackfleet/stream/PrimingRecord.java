package dev.stackfleet.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.util.Map;

/** The stream record the SnapStart priming processes: a new server, as the table's stream delivers one. */
final class PrimingRecord {

    private static final String OWNER = "snapstart-priming";
    private static final String ID = "gs-" + "a".repeat(20);

    private PrimingRecord() {}

    static DynamodbStreamRecord newServer() {
        Map<String, AttributeValue> image = Map.ofEntries(
                Map.entry("owner", s(OWNER)),
                Map.entry("gameserver_id", s(ID)),
                Map.entry(
                        "config",
                        new AttributeValue()
                                .withM(Map.of(
                                        "difficulty", s("easy"),
                                        "player_count", new AttributeValue().withN("4"),
                                        "seed", s("snapstart")))),
                Map.entry("generation", new AttributeValue().withN("1")),
                Map.entry(
                        "placement",
                        new AttributeValue()
                                .withM(Map.of(
                                        "account_id", s("000000000000"),
                                        "region", s("us-east-1"),
                                        "role_arn", s("arn:aws:iam::000000000000:role/snapstart-priming")))),
                Map.entry("stack_name", s("stackfleet-" + ID)),
                Map.entry("status", s("CREATE_PENDING")),
                Map.entry("release", s("000000000000")),
                Map.entry("created_at", s("2026-01-01T00:00:00Z")),
                Map.entry("updated_at", s("2026-01-01T00:00:00Z")));
        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventID("snapstart-priming");
        record.setEventName("INSERT");
        record.setEventSource("aws:dynamodb");
        record.setDynamodb(new StreamRecord()
                .withKeys(Map.of("owner", s(OWNER), "gameserver_id", s(ID)))
                .withNewImage(image)
                .withSequenceNumber("1")
                .withStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
        return record;
    }

    private static AttributeValue s(String value) {
        return new AttributeValue().withS(value);
    }
}
