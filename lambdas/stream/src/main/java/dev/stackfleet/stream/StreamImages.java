package dev.stackfleet.stream;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Converts a stream record's image (the Lambda events' attribute type) into the AWS SDK's attribute type once, at
 * the edge, so that items are read in one place (core's {@code ItemReader} and {@code ExecutionInput}) whoever
 * holds them.
 */
final class StreamImages {

    private StreamImages() {}

    /** The image as an item; {@code null} stays {@code null} (the record had no such image). */
    static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> toItem(
            Map<String, AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new LinkedHashMap<>();
        image.forEach((name, value) -> {
            if (value != null) {
                item.put(name, toSdk(value));
            }
        });
        return item;
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue toSdk(AttributeValue value) {
        var sdk = software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder();
        if (value.getS() != null) {
            sdk.s(value.getS());
        } else if (value.getN() != null) {
            sdk.n(value.getN());
        } else if (value.getBOOL() != null) {
            sdk.bool(value.getBOOL());
        } else if (value.getM() != null) {
            sdk.m(toItem(value.getM()));
        } else if (value.getL() != null) {
            sdk.l(value.getL().stream().map(StreamImages::toSdk).toList());
        } else if (value.getSS() != null) {
            sdk.ss(value.getSS());
        } else if (value.getNS() != null) {
            sdk.ns(value.getNS());
        } else if (value.getB() != null) {
            sdk.b(SdkBytes.fromByteBuffer(value.getB()));
        } else if (value.getBS() != null) {
            sdk.bs(value.getBS().stream().map(SdkBytes::fromByteBuffer).toList());
        } else if (Boolean.TRUE.equals(value.getNULL())) {
            sdk.nul(true);
        }
        return sdk.build();
    }
}
