package dev.stackfleet.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes a stream record back in the JSON shape Lambda delivers it in ({@code eventID}, {@code dynamodb.Keys},
 * {@code {"S": ...}} attribute values, ...), so that a dead-lettered record can be read by people and fed to the
 * handler again.
 */
public final class StreamRecordJson {

    private final ObjectMapper mapper;

    public StreamRecordJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode toJson(DynamodbStreamRecord record) {
        ObjectNode json = mapper.createObjectNode();
        putIfNotNull(json, "eventID", record.getEventID());
        putIfNotNull(json, "eventName", record.getEventName());
        putIfNotNull(json, "eventVersion", record.getEventVersion());
        putIfNotNull(json, "eventSource", record.getEventSource());
        putIfNotNull(json, "awsRegion", record.getAwsRegion());
        StreamRecord dynamodb = record.getDynamodb();
        if (dynamodb != null) {
            ObjectNode d = json.putObject("dynamodb");
            if (dynamodb.getApproximateCreationDateTime() != null) {
                d.put(
                        "ApproximateCreationDateTime",
                        BigDecimal.valueOf(dynamodb.getApproximateCreationDateTime()
                                        .toInstant()
                                        .toEpochMilli())
                                .movePointLeft(3));
            }
            putImage(d, "Keys", dynamodb.getKeys());
            putImage(d, "NewImage", dynamodb.getNewImage());
            putImage(d, "OldImage", dynamodb.getOldImage());
            putIfNotNull(d, "SequenceNumber", dynamodb.getSequenceNumber());
            if (dynamodb.getSizeBytes() != null) {
                d.put("SizeBytes", dynamodb.getSizeBytes());
            }
            putIfNotNull(d, "StreamViewType", dynamodb.getStreamViewType());
        }
        if (record.getUserIdentity() != null) {
            ObjectNode identity = json.putObject("userIdentity");
            putIfNotNull(identity, "type", record.getUserIdentity().getType());
            putIfNotNull(identity, "principalId", record.getUserIdentity().getPrincipalId());
        }
        putIfNotNull(json, "eventSourceARN", record.getEventSourceARN());
        return json;
    }

    private void putImage(ObjectNode parent, String field, Map<String, AttributeValue> image) {
        if (image != null) {
            parent.set(field, image(image));
        }
    }

    private ObjectNode image(Map<String, AttributeValue> image) {
        ObjectNode json = mapper.createObjectNode();
        image.forEach((name, value) -> json.set(name, value(value)));
        return json;
    }

    private JsonNode value(AttributeValue value) {
        ObjectNode json = mapper.createObjectNode();
        if (value == null) {
            return json;
        }
        if (value.getS() != null) {
            json.put("S", value.getS());
        } else if (value.getN() != null) {
            json.put("N", value.getN());
        } else if (value.getB() != null) {
            json.put("B", base64(value.getB()));
        } else if (value.getBOOL() != null) {
            json.put("BOOL", value.getBOOL());
        } else if (value.getNULL() != null) {
            json.put("NULL", value.getNULL());
        } else if (value.getM() != null) {
            json.set("M", image(value.getM()));
        } else if (value.getL() != null) {
            ArrayNode list = json.putArray("L");
            value.getL().forEach(element -> list.add(value(element)));
        } else if (value.getSS() != null) {
            strings(json.putArray("SS"), value.getSS());
        } else if (value.getNS() != null) {
            strings(json.putArray("NS"), value.getNS());
        } else if (value.getBS() != null) {
            ArrayNode list = json.putArray("BS");
            value.getBS().forEach(element -> list.add(base64(element)));
        }
        return json;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String base64(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        byte[] raw = new byte[copy.remaining()];
        copy.get(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static void putIfNotNull(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
