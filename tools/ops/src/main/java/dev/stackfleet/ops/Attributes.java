package dev.stackfleet.ops;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB attribute values as plain Java values: S to String, N to a number, BOOL, M to Map, L to List. */
final class Attributes {

    private Attributes() {}

    /** The plain value of one attribute; {@code null} for NULL or an absent attribute. */
    static Object plain(AttributeValue value) {
        if (value == null || Boolean.TRUE.equals(value.nul())) {
            return null;
        }
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            BigDecimal number = new BigDecimal(value.n());
            return number.scale() <= 0 ? (Object) number.longValueExact() : number;
        }
        if (value.bool() != null) {
            return value.bool();
        }
        if (value.hasM()) {
            return plain(value.m());
        }
        if (value.hasL()) {
            return value.l().stream().map(Attributes::plain).toList();
        }
        throw new OpsException("Unsupported attribute type in item: " + value);
    }

    /** The plain values of a map attribute, in the item's order. */
    static Map<String, Object> plain(Map<String, AttributeValue> map) {
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((key, value) -> result.put(key, plain(value)));
        return result;
    }

    /** A string attribute or {@code null}. */
    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A number attribute as a long, or {@code null}. */
    static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Long.parseLong(value.n());
    }
}
