package dev.stackfleet.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated request input for the API's tests, from a seeded random source: bodies of any shape around a config,
 * and text of any code points. Shared by the handlers' tests on the in-memory store and the end-to-end tests on the
 * emulator.
 */
public final class GeneratedInput {

    private static final String PUNCTUATION = "\"\\/%.{}[]";
    private static final String[] KEYS = {
        "config",
        "difficulty",
        "player_count",
        "seed",
        "owner",
        "sub",
        "username",
        "owner_name",
        "gameserver_id",
        "generation",
        "status",
        "placement",
        "",
        "\u0000",
        "é"
    };

    private GeneratedInput() {}

    /** A request body: JSON of any shape around a config, or not JSON at all. */
    public static String body(Random random) {
        return switch (random.nextInt(7)) {
            case 6 ->
                "{\"config\": {\"difficulty\": \"hard\", \"player_count\": " + (1 + random.nextInt(16)) + "}, "
                        + quote(KEYS[4 + random.nextInt(KEYS.length - 4)]) + ": " + json(random, 1) + "}";
            case 0 -> text(random, random.nextInt(80));
            case 1 -> "{\"config\": " + json(random, 3) + "}";
            case 2 ->
                "{\"config\": {\"difficulty\": " + json(random, 1) + ", \"player_count\": " + json(random, 1) + "}, "
                        + quote(KEYS[random.nextInt(KEYS.length)]) + ": " + json(random, 2) + "}";
            case 3 -> "[".repeat(1 + random.nextInt(3000)) + "]".repeat(random.nextInt(3));
            case 4 ->
                "{\"config\": {\"difficulty\": \"easy\", \"seed\": " + quote(text(random, random.nextInt(40_000)))
                        + "}}";
            default -> json(random, 4);
        };
    }

    /** A JSON value: objects and arrays up to {@code depth}, strings, numbers of any size, booleans, null. */
    private static String json(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> quote(text(random, random.nextInt(30)));
            case 1 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 2 -> random.nextBoolean() ? "1e400" : random.nextDouble() * 100 + "";
            case 3 -> random.nextBoolean() ? "true" : "null";
            case 4 -> quote(new String[] {"peaceful", "easy", "normal", "hard", "HARD", " easy"}[random.nextInt(6)]);
            case 5 -> {
                List<String> members = new ArrayList<>();
                for (int i = 0; i < random.nextInt(4); i++) {
                    members.add(quote(KEYS[random.nextInt(KEYS.length)]) + ": " + json(random, depth - 1));
                }
                yield "{" + String.join(", ", members) + "}";
            }
            default -> {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < random.nextInt(4); i++) {
                    items.add(json(random, depth - 1));
                }
                yield "[" + String.join(", ", items) + "]";
            }
        };
    }

    /** Text of any code points: ASCII, control characters, quotes and backslashes, accents, emoji. */
    public static String text(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            text.appendCodePoint(
                    switch (kind) {
                        case 0 -> random.nextInt(32);
                        case 1 -> PUNCTUATION.codePointAt(random.nextInt(PUNCTUATION.length()));
                        case 2 -> 0x00C0 + random.nextInt(0x100);
                        case 3 -> 0x1F600 + random.nextInt(0x50);
                        default -> 'a' + random.nextInt(26);
                    });
        }
        return text.toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
