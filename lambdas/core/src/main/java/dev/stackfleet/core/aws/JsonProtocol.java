package dev.stackfleet.core.aws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * The body of the AWS JSON protocol (1.0 and 1.1), written from and read into the SDK's own model classes through
 * the field descriptions every model class carries ({@link SdkPojo#sdkFields()}): member names as the service
 * spells them, blobs in base64, timestamps in epoch seconds. Unset members are left out; members a reply has that
 * the model does not know are skipped.
 */
@SuppressWarnings("ReferenceEquality") // MarshallingType's constants are its only instances, compared as the SDK does
final class JsonProtocol {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonProtocol() {}

    /** A request (or any model object) as the JSON the service expects. */
    static byte[] write(SdkPojo pojo) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            writeObject(json, pojo);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write a request body", e);
        }
        return bytes.toByteArray();
    }

    /** Sets on a model builder every member the JSON object has, and returns the builder. */
    static <B extends SdkPojo> B read(byte[] body, B builder) throws IOException {
        if (body.length == 0) {
            return builder;
        }
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("The reply is not a JSON object");
            }
            readObject(json, builder);
        }
        return builder;
    }

    /** What names an error in its reply ({@code __type}, else {@code code}) and its message, spelt either way. */
    record ErrorFields(String type, String code, String message) {}

    static ErrorFields errorFields(byte[] body) throws IOException {
        String type = null;
        String code = null;
        String message = null;
        if (body.length == 0) {
            return new ErrorFields(null, null, null);
        }
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("The error reply is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                switch (name) {
                    case "__type" -> type = json.getValueAsString();
                    case "code" -> code = json.getValueAsString();
                    case "message", "Message" -> message = json.getValueAsString();
                    default -> json.skipChildren();
                }
            }
        }
        return new ErrorFields(type, code, message);
    }

    private static void writeObject(JsonGenerator json, SdkPojo pojo) throws IOException {
        json.writeStartObject();
        for (SdkField<?> field : pojo.sdkFields()) {
            // getValueOrDefault: an unset idempotency token gets its generated value, as the SDK's marshaller does
            Object value = field.getValueOrDefault(pojo);
            if (value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap)) {
                json.writeFieldName(field.locationName());
                writeValue(json, field, value);
            }
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, SdkField<?> field, Object value) throws IOException {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            writeObject(json, (SdkPojo) value);
        } else if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            json.writeStartArray();
            for (Object element : (List<?>) value) {
                writeValue(json, member, element);
            }
            json.writeEndArray();
        } else if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                json.writeFieldName((String) entry.getKey());
                writeValue(json, member, entry.getValue());
            }
            json.writeEndObject();
        } else if (type == MarshallingType.BOOLEAN) {
            json.writeBoolean((Boolean) value);
        } else if (type == MarshallingType.INTEGER || type == MarshallingType.LONG || type == MarshallingType.SHORT) {
            json.writeNumber(((Number) value).longValue());
        } else if (type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT) {
            json.writeNumber(((Number) value).doubleValue());
        } else if (type == MarshallingType.BIG_DECIMAL) {
            json.writeNumber((BigDecimal) value);
        } else if (type == MarshallingType.INSTANT) {
            Instant instant = (Instant) value;
            json.writeNumber(
                    BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9)));
        } else if (type == MarshallingType.SDK_BYTES) {
            json.writeString(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
        } else if (type == MarshallingType.STRING) {
            json.writeString(value.toString());
        } else {
            throw new IllegalArgumentException(
                    "Member " + field.memberName() + " has a type this client does not send: " + type);
        }
    }

    private static void readObject(JsonParser json, SdkPojo builder) throws IOException {
        Map<String, SdkField<?>> fields = new HashMap<>();
        for (SdkField<?> field : builder.sdkFields()) {
            fields.put(field.locationName(), field);
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            SdkField<?> field = fields.get(json.currentName());
            JsonToken token = json.nextToken();
            if (field == null) {
                json.skipChildren();
            } else if (token != JsonToken.VALUE_NULL) {
                field.set(builder, readValue(json, field));
            }
        }
    }

    private static Object readValue(JsonParser json, SdkField<?> field) throws IOException {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            SdkPojo builder = field.constructor().get();
            readObject(json, builder);
            return ((Buildable) builder).build();
        }
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            while (json.nextToken() != JsonToken.END_ARRAY) {
                list.add(json.currentToken() == JsonToken.VALUE_NULL ? null : readValue(json, member));
            }
            return list;
        }
        if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                map.put(key, json.nextToken() == JsonToken.VALUE_NULL ? null : readValue(json, member));
            }
            return map;
        }
        if (type == MarshallingType.BOOLEAN) {
            return json.getBooleanValue();
        }
        if (type == MarshallingType.INTEGER) {
            return json.getIntValue();
        }
        if (type == MarshallingType.LONG) {
            return json.getLongValue();
        }
        if (type == MarshallingType.SHORT) {
            return json.getShortValue();
        }
        if (type == MarshallingType.DOUBLE) {
            return json.getDoubleValue();
        }
        if (type == MarshallingType.FLOAT) {
            return json.getFloatValue();
        }
        if (type == MarshallingType.BIG_DECIMAL) {
            return json.getDecimalValue();
        }
        if (type == MarshallingType.INSTANT) {
            return instant(json);
        }
        if (type == MarshallingType.SDK_BYTES) {
            return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(json.getText()));
        }
        if (type == MarshallingType.STRING) {
            return json.getText();
        }
        throw new IOException("Member " + field.memberName() + " has a type this client does not read: " + type);
    }

    /** Epoch seconds with a fraction, as the protocol sends timestamps (an ISO-8601 string is taken too). */
    private static Instant instant(JsonParser json) throws IOException {
        if (json.currentToken() == JsonToken.VALUE_STRING) {
            return Instant.parse(json.getText());
        }
        BigDecimal seconds = json.getDecimalValue();
        long whole = seconds.longValue();
        return Instant.ofEpochSecond(
                whole,
                seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue());
    }
}
