package dev.stackfleet.core;

import java.math.BigDecimal;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Typed reads of a game-server item or a stream image of one; every missing or malformed value is a
 * {@link MalformedItemException} that names the attribute and where it was read.
 */
public final class ItemReader {

    private ItemReader() {}

    public static boolean has(Map<String, AttributeValue> item, String name) {
        return item != null && item.get(name) != null;
    }

    /** A required string attribute ({@code S}), not blank. */
    public static String string(Map<String, AttributeValue> item, String name, String where) {
        AttributeValue value = item == null ? null : item.get(name);
        if (value == null || value.s() == null) {
            throw new MalformedItemException(where + " has no string attribute '" + name + "'");
        }
        if (value.s().isBlank()) {
            throw new MalformedItemException(where + " has a blank '" + name + "'");
        }
        return value.s();
    }

    /** A required positive whole number ({@code N}), e.g. {@code generation}. */
    public static long positiveLong(Map<String, AttributeValue> item, String name, String where) {
        String text = numberText(item, name, where);
        try {
            long value = Long.parseLong(text);
            if (value < 1) {
                throw new MalformedItemException(where + " has '" + name + "' = " + text + ", expected >= 1");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedItemException(where + " has '" + name + "' = '" + text + "', not a whole number");
        }
    }

    /** A required number ({@code N}) as an exact decimal. */
    public static BigDecimal decimal(Map<String, AttributeValue> item, String name, String where) {
        String text = numberText(item, name, where);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new MalformedItemException(where + " has '" + name + "' = '" + text + "', not a number");
        }
    }

    /** A required map attribute ({@code M}). */
    public static Map<String, AttributeValue> map(Map<String, AttributeValue> item, String name, String where) {
        AttributeValue value = item == null ? null : item.get(name);
        if (value == null || !value.hasM()) {
            throw new MalformedItemException(where + " has no map attribute '" + name + "'");
        }
        return value.m();
    }

    /** True only for a {@code BOOL} attribute that is {@code true}. */
    public static boolean isTrue(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    private static String numberText(Map<String, AttributeValue> item, String name, String where) {
        AttributeValue value = item == null ? null : item.get(name);
        if (value == null || value.n() == null) {
            throw new MalformedItemException(where + " has no number attribute '" + name + "'");
        }
        return value.n().trim();
    }
}
