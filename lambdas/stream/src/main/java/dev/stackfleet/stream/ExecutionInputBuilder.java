package dev.stackfleet.stream;

import static dev.stackfleet.core.ItemAttributes.CONFIG;
import static dev.stackfleet.core.ItemAttributes.GAMESERVER_ID;
import static dev.stackfleet.core.ItemAttributes.GENERATION;
import static dev.stackfleet.core.ItemAttributes.PLACEMENT;
import static dev.stackfleet.core.ItemAttributes.STACK_NAME;
import static dev.stackfleet.core.ItemAttributes.USERNAME;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.Intent;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds the execution for an intent from an item image, exactly in the shape of docs/contracts.md
 * ("Executions"): {@code intent, username, gameserver_id, generation, stack_name, config, placement, poll}.
 *
 * <p>Only the allow-listed config keys ({@code difficulty}, {@code player_count} as a JSON number,
 * {@code seed}) are copied. A create or update needs all three; a delete copies those present, so that a
 * damaged item can still be deprovisioned. Anything missing or malformed throws
 * {@link MalformedRecordException}.
 */
public final class ExecutionInputBuilder {

    private static final Pattern GAME_SERVER_ID = Pattern.compile("gs-[a-z0-9]+");

    private final ObjectMapper mapper;
    private final String provisionStateMachineArn;
    private final String deprovisionStateMachineArn;
    private final int pollInitialSeconds;
    private final int pollMaxSeconds;

    public ExecutionInputBuilder(ObjectMapper mapper, StreamConfig config) {
        this(mapper, config.provisionStateMachineArn(), config.deprovisionStateMachineArn(),
                config.pollInitialSeconds(), config.pollMaxSeconds());
    }

    /** For starts outside the stream Lambda, such as an operator's replay: the machines and poll interval. */
    public ExecutionInputBuilder(ObjectMapper mapper, String provisionStateMachineArn,
                                 String deprovisionStateMachineArn, int pollInitialSeconds, int pollMaxSeconds) {
        if (pollInitialSeconds < 1 || pollMaxSeconds < pollInitialSeconds) {
            throw new IllegalArgumentException("Need 1 <= initial poll seconds <= maximum poll seconds, got "
                    + pollInitialSeconds + " and " + pollMaxSeconds);
        }
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.provisionStateMachineArn = Objects.requireNonNull(provisionStateMachineArn, "provisionStateMachineArn");
        this.deprovisionStateMachineArn = Objects.requireNonNull(deprovisionStateMachineArn,
                "deprovisionStateMachineArn");
        this.pollInitialSeconds = pollInitialSeconds;
        this.pollMaxSeconds = pollMaxSeconds;
    }

    public ExecutionRequest build(Intent intent, Map<String, AttributeValue> image) {
        String where = "item image";
        String username = Attributes.string(image, USERNAME, where);
        String gameServerId = Attributes.string(image, GAMESERVER_ID, where);
        if (!GAME_SERVER_ID.matcher(gameServerId).matches()) {
            throw new MalformedRecordException("gameserver_id '" + gameServerId + "' is not of the form gs-<id>");
        }
        long generation = Attributes.positiveLong(image, GENERATION, where);
        String stackName = Attributes.string(image, STACK_NAME, where);
        Map<String, AttributeValue> placement = Attributes.map(image, PLACEMENT, where);
        ExecutionName name;
        try {
            name = ExecutionName.of(gameServerId, intent, generation);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("no valid execution name: " + e.getMessage());
        }

        ObjectNode input = mapper.createObjectNode();
        input.put("intent", intent.word());
        input.put("username", username);
        input.put("gameserver_id", gameServerId);
        input.put("generation", generation);
        input.put("stack_name", stackName);
        input.set("config", config(intent, image));
        ObjectNode placementJson = input.putObject("placement");
        placementJson.put("account_id", Attributes.string(placement, "account_id", "placement"));
        placementJson.put("region", Attributes.string(placement, "region", "placement"));
        placementJson.put("role_arn", Attributes.string(placement, "role_arn", "placement"));
        ObjectNode poll = input.putObject("poll");
        poll.put("initial_seconds", pollInitialSeconds);
        poll.put("max_seconds", pollMaxSeconds);

        String stateMachine = intent == Intent.DELETE ? deprovisionStateMachineArn : provisionStateMachineArn;
        try {
            return new ExecutionRequest(username, gameServerId, name, stateMachine, mapper.writeValueAsString(input));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the execution input", e);
        }
    }

    private ObjectNode config(Intent intent, Map<String, AttributeValue> image) {
        ObjectNode config = mapper.createObjectNode();
        if (intent == Intent.DELETE) {
            Map<String, AttributeValue> item = image.get(CONFIG) == null ? null : image.get(CONFIG).getM();
            if (item != null) {
                copyIfWellFormed(config, item);
            }
            return config;
        }
        Map<String, AttributeValue> item = Attributes.map(image, CONFIG, "item image");
        config.put("difficulty", Attributes.string(item, "difficulty", "config"));
        putNumber(config, "player_count", Attributes.decimal(item, "player_count", "config"));
        config.put("seed", Attributes.string(item, "seed", "config"));
        return config;
    }

    /** Whole numbers as JSON integers ({@code 4}, never {@code 4.0} or {@code 4E+0}); others as decimals. */
    private static void putNumber(ObjectNode json, String field, BigDecimal value) {
        try {
            json.put(field, value.stripTrailingZeros().longValueExact());
        } catch (ArithmeticException notWhole) {
            json.put(field, value);
        }
    }

    private static void copyIfWellFormed(ObjectNode config, Map<String, AttributeValue> item) {
        try {
            config.put("difficulty", Attributes.string(item, "difficulty", "config"));
        } catch (MalformedRecordException ignored) {
            // a delete does not need it
        }
        try {
            putNumber(config, "player_count", Attributes.decimal(item, "player_count", "config"));
        } catch (MalformedRecordException ignored) {
            // a delete does not need it
        }
        try {
            config.put("seed", Attributes.string(item, "seed", "config"));
        } catch (MalformedRecordException ignored) {
            // a delete does not need it
        }
    }
}
