package dev.stackfleet.stream;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.math.BigDecimal;
import java.util.Map;

/** Reads typed attributes from a stream image; every malformed value is a {@link MalformedRecordException}. */
final class Attributes {

    private Attributes() {
    }

    static boolean has(Map<String, AttributeValue> image, String name) {
        return image != null && image.get(name) != null;
    }

    /** A required string attribute ({@code S}), not blank. */
    static String string(Map<String, AttributeValue> image, String name, String where) {
        AttributeValue value = image == null ? null : image.get(name);
        if (value == null || value.getS() == null) {
            throw new MalformedRecordException(where + " has no string attribute '" + name + "'");
        }
        if (value.getS().isBlank()) {
            throw new MalformedRecordException(where + " has a blank '" + name + "'");
        }
        return value.getS();
    }

    /** A required positive whole number ({@code N}), e.g. {@code generation}. */
    static long positiveLong(Map<String, AttributeValue> image, String name, String where) {
        String text = numberText(image, name, where);
        try {
            long value = Long.parseLong(text);
            if (value < 1) {
                throw new MalformedRecordException(where + " has '" + name + "' = " + text + ", expected >= 1");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(where + " has '" + name + "' = '" + text + "', not a whole number");
        }
    }

    /** A required number ({@code N}) as an exact decimal. */
    static BigDecimal decimal(Map<String, AttributeValue> image, String name, String where) {
        String text = numberText(image, name, where);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(where + " has '" + name + "' = '" + text + "', not a number");
        }
    }

    /** A required map attribute ({@code M}). */
    static Map<String, AttributeValue> map(Map<String, AttributeValue> image, String name, String where) {
        AttributeValue value = image == null ? null : image.get(name);
        if (value == null || value.getM() == null) {
            throw new MalformedRecordException(where + " has no map attribute '" + name + "'");
        }
        return value.getM();
    }

    /** True only for a {@code BOOL} attribute that is {@code true}. */
    static boolean isTrue(Map<String, AttributeValue> image, String name) {
        AttributeValue value = image == null ? null : image.get(name);
        return value != null && Boolean.TRUE.equals(value.getBOOL());
    }

    private static String numberText(Map<String, AttributeValue> image, String name, String where) {
        AttributeValue value = image == null ? null : image.get(name);
        if (value == null || value.getN() == null) {
            throw new MalformedRecordException(where + " has no number attribute '" + name + "'");
        }
        return value.getN().trim();
    }
}
