package dev.stackfleet.local.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Turns DynamoDB Streams records (as GetRecords returns them) into the JSON Lambda delivers to a function, and a
 * batch of those into the typed {@link DynamodbEvent} the way the Lambda Java runtime does it
 * ({@link LambdaEventSerializers}). Filters are applied to the same JSON, as Lambda applies them.
 */
public final class LambdaRecordJson {

    private final ObjectMapper mapper = new ObjectMapper();
    private final PojoSerializer<DynamodbEvent> serializer =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, LambdaRecordJson.class.getClassLoader());

    /** The record as Lambda delivers it, with {@code eventSourceARN} set to the stream. */
    public ObjectNode toJson(Record record, String streamArn) {
        ObjectNode json = mapper.createObjectNode();
        json.put("eventID", record.eventID());
        json.put("eventName", record.eventNameAsString());
        json.put("eventVersion", record.eventVersion());
        json.put("eventSource", record.eventSource());
        json.put("awsRegion", record.awsRegion());
        StreamRecord stream = record.dynamodb();
        if (stream != null) {
            ObjectNode d = json.putObject("dynamodb");
            if (stream.approximateCreationDateTime() != null) {
                d.put(
                        "ApproximateCreationDateTime",
                        BigDecimal.valueOf(stream.approximateCreationDateTime().toEpochMilli())
                                .movePointLeft(3));
            }
            if (stream.hasKeys()) {
                d.set("Keys", image(stream.keys()));
            }
            if (stream.hasNewImage()) {
                d.set("NewImage", image(stream.newImage()));
            }
            if (stream.hasOldImage()) {
                d.set("OldImage", image(stream.oldImage()));
            }
            d.put("SequenceNumber", stream.sequenceNumber());
            if (stream.sizeBytes() != null) {
                d.put("SizeBytes", stream.sizeBytes());
            }
            d.put("StreamViewType", stream.streamViewTypeAsString());
        }
        if (record.userIdentity() != null) {
            ObjectNode identity = json.putObject("userIdentity");
            identity.put("type", record.userIdentity().type());
            identity.put("principalId", record.userIdentity().principalId());
        }
        json.put("eventSourceARN", streamArn);
        return json;
    }

    /** A batch of records in Lambda's JSON, read into the typed event the handler receives. */
    public DynamodbEvent toEvent(List<? extends JsonNode> records) {
        ObjectNode event = mapper.createObjectNode();
        ArrayNode array = event.putArray("Records");
        records.forEach(array::add);
        return serializer.fromJson(event.toString());
    }

    private ObjectNode image(Map<String, AttributeValue> image) {
        ObjectNode json = mapper.createObjectNode();
        image.forEach((name, value) -> json.set(name, value(value)));
        return json;
    }

    private JsonNode value(AttributeValue value) {
        ObjectNode json = mapper.createObjectNode();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", value.nul());
            case M -> json.set("M", image(value.m()));
            case L -> {
                ArrayNode list = json.putArray("L");
                value.l().forEach(element -> list.add(value(element)));
            }
            case SS -> value.ss().forEach(json.putArray("SS")::add);
            case NS -> value.ns().forEach(json.putArray("NS")::add);
            case BS -> {
                ArrayNode list = json.putArray("BS");
                value.bs().forEach(bytes -> list.add(Base64.getEncoder().encodeToString(bytes.asByteArray())));
            }
            default -> throw new IllegalArgumentException("Attribute value of unknown type: " + value);
        }
        return json;
    }
}
