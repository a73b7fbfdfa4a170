package dev.stackfleet.ops;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.core.Intent;
import dev.stackfleet.stream.ExecutionInputBuilder;
import dev.stackfleet.stream.ExecutionRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The execution a server's item asks for now, built by the stream Lambda's own
 * {@link ExecutionInputBuilder}, so that a replay carries exactly the input the stream would have started.
 */
final class ExecutionInput {

    private ExecutionInput() {
    }

    /**
     * @param server the item
     * @param machines the two state machines
     * @param pollInitialSeconds the first poll interval
     * @param pollMaxSeconds the cap of the growing poll interval
     * @return the original (un-replayed) execution for the server's current intent
     */
    static ExecutionRequest of(ServerView server, StateMachines machines, int pollInitialSeconds,
                               int pollMaxSeconds) {
        Intent intent = currentIntent(server);
        ExecutionInputBuilder builder;
        try {
            builder = new ExecutionInputBuilder(new ObjectMapper(), machines.machineFor(Intent.CREATE),
                    machines.machineFor(Intent.DELETE), pollInitialSeconds, pollMaxSeconds);
        } catch (IllegalArgumentException e) {
            throw new OpsException("cannot build the execution input: " + e.getMessage());
        }
        try {
            return builder.build(intent, image(server.item()));
        } catch (RuntimeException e) {
            throw new OpsException("the item of " + server.gameServerId() + " cannot be turned into an execution"
                    + " input (" + e.getMessage() + "): repair the item first");
        }
    }

    /**
     * The intent the item asks for now, as the stream Lambda derived it: delete once deletion was requested,
     * create at generation 1, update after that.
     */
    static Intent currentIntent(ServerView server) {
        if (server.deleteRequested()) {
            return Intent.DELETE;
        }
        return server.generation() <= 1 ? Intent.CREATE : Intent.UPDATE;
    }

    /** The item as a stream record image (the Lambda events' attribute value type). */
    static Map<String, AttributeValue> image(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        Map<String, AttributeValue> image = new LinkedHashMap<>();
        item.forEach((name, value) -> image.put(name, image(value)));
        return image;
    }

    private static AttributeValue image(software.amazon.awssdk.services.dynamodb.model.AttributeValue value) {
        AttributeValue converted = new AttributeValue();
        if (value.s() != null) {
            converted.setS(value.s());
        } else if (value.n() != null) {
            converted.setN(value.n());
        } else if (value.bool() != null) {
            converted.setBOOL(value.bool());
        } else if (value.hasM()) {
            converted.setM(image(value.m()));
        } else if (value.hasL()) {
            converted.setL(value.l().stream().map(ExecutionInput::image).toList());
        } else if (value.hasSs()) {
            converted.setSS(value.ss());
        } else if (value.hasNs()) {
            converted.setNS(value.ns());
        } else if (Boolean.TRUE.equals(value.nul())) {
            converted.setNULL(true);
        }
        return converted;
    }
}
