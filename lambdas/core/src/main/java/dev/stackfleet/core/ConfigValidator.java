package dev.stackfleet.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Map;

/**
 * Validates the {@code config} of a request against the game-server template's own parameter
 * constraints. Only the allow-listed keys below ever reach CloudFormation.
 */
public final class ConfigValidator {

    /** The config keys a client may send, and the template parameter each one feeds. */
    public enum Key {
        DIFFICULTY("difficulty", "Difficulty", false),
        PLAYER_COUNT("player_count", "PlayerCount", true),
        SEED("seed", "Seed", false);

        final String field;
        final String parameter;
        final boolean integer;

        Key(String field, String parameter, boolean integer) {
            this.field = field;
            this.parameter = parameter;
            this.integer = integer;
        }

        /** The config key, e.g. {@code player_count}. */
        public String field() {
            return field;
        }

        /** The stack parameter it feeds, e.g. {@code PlayerCount}. */
        public String parameter() {
            return parameter;
        }

        static Key of(String field) {
            for (Key key : values()) {
                if (key.field.equals(field)) {
                    return key;
                }
            }
            return null;
        }
    }

    private static final String SEED_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int GENERATED_SEED_LENGTH = 16;

    private final TemplateParameters template;
    private final SecureRandom random = new SecureRandom();

    public ConfigValidator(TemplateParameters template) {
        this.template = template;
        for (Key key : Key.values()) {
            if (template.get(key.parameter).isEmpty()) {
                throw new IllegalStateException("The game-server template has no parameter " + key.parameter);
            }
        }
    }

    /**
     * Validates the config of a new server: {@code difficulty} and {@code player_count} required, a
     * {@code seed} generated when absent.
     */
    public GameServerConfig validateNew(JsonNode config) {
        requireObject(config);
        Map<Key, String> values = readValues(config);
        for (Key required : new Key[] {Key.DIFFICULTY, Key.PLAYER_COUNT}) {
            if (!values.containsKey(required)) {
                throw new InvalidRequestException("missing_field", "config." + required.field + " is required");
            }
        }
        values.putIfAbsent(Key.SEED, generatedSeed());
        return toConfig(values);
    }

    /** Validates a partial change and merges it onto the current config; at least one key must be given. */
    public GameServerConfig validateChange(GameServerConfig current, JsonNode change) {
        requireObject(change);
        Map<Key, String> values = readValues(change);
        if (values.isEmpty()) {
            throw new InvalidRequestException(
                    "empty_change", "config must name at least one of difficulty, player_count, seed");
        }
        values.putIfAbsent(Key.DIFFICULTY, current.difficulty());
        values.putIfAbsent(Key.PLAYER_COUNT, Integer.toString(current.playerCount()));
        values.putIfAbsent(Key.SEED, current.seed());
        return toConfig(values);
    }

    private static void requireObject(JsonNode config) {
        if (config == null || config.isMissingNode() || config.isNull()) {
            throw new InvalidRequestException(
                    "missing_config",
                    "The body must have a \"config\" object, e.g. {\"config\": {\"difficulty\": \"easy\", \"player_count\": 4}}");
        }
        if (!config.isObject()) {
            throw new InvalidRequestException("invalid_type", "config must be a JSON object");
        }
    }

    private Map<Key, String> readValues(JsonNode config) {
        Map<Key, String> values = new java.util.EnumMap<>(Key.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = config.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Key key = Key.of(field.getKey());
            if (key == null) {
                throw new InvalidRequestException(
                        "unknown_field",
                        "config." + field.getKey() + " is not a setting; allowed: difficulty, player_count, seed");
            }
            String value = scalar(key, field.getValue());
            String violation = template.get(key.parameter).orElseThrow().violation(value);
            if (violation != null) {
                throw new InvalidRequestException("invalid_value", "config." + key.field + " " + violation);
            }
            values.put(key, value);
        }
        return values;
    }

    private static String scalar(Key key, JsonNode value) {
        if (key.integer) {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new InvalidRequestException("invalid_type", "config." + key.field + " must be an integer");
            }
            return value.asText();
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException("invalid_type", "config." + key.field + " must be a string");
        }
        return value.textValue();
    }

    private static GameServerConfig toConfig(Map<Key, String> values) {
        return new GameServerConfig(
                values.get(Key.DIFFICULTY), Integer.parseInt(values.get(Key.PLAYER_COUNT)), values.get(Key.SEED));
    }

    private String generatedSeed() {
        StringBuilder seed = new StringBuilder(GENERATED_SEED_LENGTH);
        for (int i = 0; i < GENERATED_SEED_LENGTH; i++) {
            seed.append(SEED_ALPHABET.charAt(random.nextInt(SEED_ALPHABET.length())));
        }
        return seed.toString();
    }
}
