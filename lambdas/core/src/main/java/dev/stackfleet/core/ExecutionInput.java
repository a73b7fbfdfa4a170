package dev.stackfleet.core;

import static dev.stackfleet.core.ItemAttributes.CONFIG;
import static dev.stackfleet.core.ItemAttributes.GAMESERVER_ID;
import static dev.stackfleet.core.ItemAttributes.GENERATION;
import static dev.stackfleet.core.ItemAttributes.OWNER;
import static dev.stackfleet.core.ItemAttributes.PLACEMENT;
import static dev.stackfleet.core.ItemAttributes.RELEASE;
import static dev.stackfleet.core.ItemAttributes.STACK_NAME;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The input of every workflow execution (docs/contracts.md, "Executions"), one type for everything that starts
 * one: the stream Lambda, an operator's replay and the reconciler. An item gives the same input wherever it is
 * read, byte for byte ({@link #toJson()}), which Step Functions needs to accept a repeated start of a running
 * execution.
 *
 * @param intent what the execution does
 * @param owner the server's owner (the table's partition key)
 * @param gameServerId the server
 * @param generation the desired-state generation to converge to
 * @param stackName the server's stack
 * @param config the allow-listed config keys
 * @param placement where the stack lives
 * @param poll the workflows' poll interval
 * @param release the template release to converge to (create and update; a delete carries none)
 */
@JsonPropertyOrder({
    "intent",
    "owner",
    "gameserver_id",
    "generation",
    "stack_name",
    "config",
    "placement",
    "poll",
    "release"
})
public record ExecutionInput(
        Intent intent,
        String owner,
        @JsonProperty("gameserver_id") String gameServerId,
        long generation,
        @JsonProperty("stack_name") String stackName,
        Config config,
        Placement placement,
        Poll poll,
        @JsonInclude(JsonInclude.Include.NON_NULL) String release) {

    /** Writes {@link #toJson()}: Jackson's generator, since an {@code ObjectMapper} costs a cold start a lot. */
    private static final JsonFactory JSON = new JsonFactory();

    public ExecutionInput {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(gameServerId, "gameServerId");
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(poll, "poll");
        if (intent != Intent.DELETE) {
            Objects.requireNonNull(release, "release");
        }
    }

    /**
     * The stack parameters a server chooses. A create or update carries all three; a delete carries those the
     * item has in good shape (deprovision does not read them), so that a damaged item can still be removed.
     *
     * @param difficulty one of the template's allowed values
     * @param playerCount a JSON integer when whole ({@code 4}, never {@code 4.0})
     * @param seed world seed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"difficulty", "player_count", "seed"})
    public record Config(String difficulty, Number playerCount, String seed) {}

    /**
     * The workflows' growing, capped poll interval, in whole seconds: the fallback timeouts of their waits for a
     * stack's status change event.
     *
     * @param initialSeconds the first wait
     * @param maxSeconds the cap
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Poll(int initialSeconds, int maxSeconds) {

        /**
         * The defaults of every starter (stream, reconciler, ops) and of the CDK app: a 5-minute stack's first
         * wait reaches past its completion once, and the workflows' default 30 polls span about 4 hours.
         */
        public static final int DEFAULT_INITIAL_SECONDS = 120;

        public static final int DEFAULT_MAX_SECONDS = 480;

        public Poll {
            if (initialSeconds < 1 || maxSeconds < initialSeconds) {
                throw new IllegalArgumentException("Need 1 <= initial poll seconds <= maximum poll seconds, got "
                        + initialSeconds + " and " + maxSeconds);
            }
        }
    }

    /**
     * The input for an intent from an item (or a stream image of one).
     *
     * @throws MalformedItemException when the item lacks what the intent needs
     */
    public static ExecutionInput fromItem(Intent intent, Map<String, AttributeValue> item, Poll poll) {
        String where = "item";
        String gameServerId = ItemReader.string(item, GAMESERVER_ID, where);
        if (!GameServerIds.isWellFormed(gameServerId)) {
            throw new MalformedItemException("gameserver_id '" + gameServerId + "' is not of the form gs-<id>");
        }
        Map<String, AttributeValue> placement = ItemReader.map(item, PLACEMENT, where);
        return new ExecutionInput(
                intent,
                ItemReader.string(item, OWNER, where),
                gameServerId,
                ItemReader.positiveLong(item, GENERATION, where),
                ItemReader.string(item, STACK_NAME, where),
                intent == Intent.DELETE ? lenientConfig(item) : config(item),
                new Placement(
                        ItemReader.string(placement, "account_id", PLACEMENT),
                        ItemReader.string(placement, "region", PLACEMENT),
                        ItemReader.string(placement, "role_arn", PLACEMENT)),
                poll,
                intent == Intent.DELETE ? null : ItemReader.string(item, RELEASE, where));
    }

    /** The deterministic name of this input's execution. */
    public ExecutionName name() {
        return ExecutionName.of(gameServerId, intent, generation);
    }

    /**
     * The input as Step Functions receives it: the members in the contract's order, a delete's absent config keys and
     * release left out, {@code player_count} an integer when whole.
     */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("intent", intent.word());
            json.writeStringField("owner", owner);
            json.writeStringField("gameserver_id", gameServerId);
            json.writeNumberField("generation", generation);
            json.writeStringField("stack_name", stackName);
            json.writeObjectFieldStart("config");
            writeIfPresent(json, "difficulty", config.difficulty());
            if (config.playerCount() != null) {
                json.writeFieldName("player_count");
                writeNumber(json, config.playerCount());
            }
            writeIfPresent(json, "seed", config.seed());
            json.writeEndObject();
            json.writeObjectFieldStart("placement");
            json.writeStringField("account_id", placement.accountId());
            json.writeStringField("region", placement.region());
            json.writeStringField("role_arn", placement.roleArn());
            json.writeEndObject();
            json.writeObjectFieldStart("poll");
            json.writeNumberField("initial_seconds", poll.initialSeconds());
            json.writeNumberField("max_seconds", poll.maxSeconds());
            json.writeEndObject();
            writeIfPresent(json, "release", release);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the execution input", e);
        }
        return out.toString();
    }

    private static void writeIfPresent(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void writeNumber(JsonGenerator json, Number value) throws IOException {
        switch (value) {
            case BigDecimal decimal -> json.writeNumber(decimal);
            case BigInteger integer -> json.writeNumber(integer);
            case Double real -> json.writeNumber(real);
            case Float real -> json.writeNumber(real);
            case Long whole -> json.writeNumber(whole);
            case Integer whole -> json.writeNumber(whole);
            default ->
                throw new IllegalArgumentException(
                        "player_count is a " + value.getClass().getName());
        }
    }

    /** Reads an input written by {@link #toJson()} (tools and tests; the Lambdas only write inputs). */
    public static ExecutionInput fromJson(String json) throws JsonProcessingException {
        return new ObjectMapper().readValue(json, ExecutionInput.class);
    }

    private static Config config(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> config = ItemReader.map(item, CONFIG, "item");
        return new Config(
                ItemReader.string(config, "difficulty", CONFIG),
                number(ItemReader.decimal(config, "player_count", CONFIG)),
                ItemReader.string(config, "seed", CONFIG));
    }

    private static Config lenientConfig(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> config =
                ItemReader.has(item, CONFIG) && item.get(CONFIG).hasM()
                        ? item.get(CONFIG).m()
                        : Map.of();
        return new Config(
                ItemReader.has(config, "difficulty") ? config.get("difficulty").s() : null,
                wellFormedNumber(config),
                ItemReader.has(config, "seed") ? config.get("seed").s() : null);
    }

    private static Number wellFormedNumber(Map<String, AttributeValue> config) {
        try {
            return number(ItemReader.decimal(config, "player_count", CONFIG));
        } catch (MalformedItemException notNeededForADelete) {
            return null;
        }
    }

    /** Whole numbers as JSON integers; others as decimals. */
    private static Number number(BigDecimal value) {
        try {
            return value.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException notWhole) {
            return value;
        }
    }
}
