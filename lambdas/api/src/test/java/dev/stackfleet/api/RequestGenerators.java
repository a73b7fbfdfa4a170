package dev.stackfleet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of bad (and now and then good) API input, and what the API documents for a rejection: shared by the
 * properties on the in-memory store ({@link GeneratedRequestsPropertiesTest}) and those on the emulator
 * ({@code tools/local}'s {@code GeneratedRequestsIT}), so that both send the same kinds of input.
 */
public final class RequestGenerators {

    /** Every error code the API documents (handlers' Javadoc, {@code ConfigValidator}, the store's token check). */
    public static final Set<String> DOCUMENTED_CODES = Set.of("invalid_json", "invalid_body", "missing_body",
            "missing_config", "invalid_type", "unknown_field", "missing_field", "invalid_value", "empty_change",
            "body_too_large", "unauthorized", "quota_exceeded", "not_found", "missing_id", "invalid_limit",
            "invalid_next_token", "deletion_in_progress", "conflict");
    public static final Set<Integer> DOCUMENTED_STATUSES = Set.of(400, 401, 403, 404, 409, 413);

    /** Top-level members someone might send to pass as another owner, or to set what only the service sets. */
    public static final List<String> FORGED_MEMBERS = List.of("owner", "username", "sub", "owner_name",
            "gameserver_id", "generation", "status", "placement", "stack_name", "delete_requested", "iss", "Owner",
            "CONFIG");

    private RequestGenerators() {
    }

    /** Request bodies for a create or a change: junk, near misses and, now and then, valid ones. */
    public static Arbitrary<Body> bodies() {
        Arbitrary<Body> anyText = Arbitraries.strings().all().ofMaxLength(300).map(s -> Body.maybe("text", s));
        Arbitrary<Body> anyJson = json(3).map(s -> Body.maybe("json", s));
        Arbitrary<Body> anyConfig = configMembers().map(m -> Body.maybe("config", "{\"config\": " + m + "}"));
        Arbitrary<Body> forged = Combinators.combine(Arbitraries.of(FORGED_MEMBERS), jsonScalar(), validConfig())
                .as((name, value, config) -> Body.rejected("forged member",
                        "{\"config\": " + config + ", " + quote(name) + ": " + value + "}"));
        Arbitrary<Body> badValue = badConfigValue().map(m -> Body.rejected("bad value", "{\"config\": {" + m + "}}"));
        Arbitrary<Body> huge = Arbitraries.integers().between(ApiHandler.MAX_BODY_BYTES, 4 * ApiHandler.MAX_BODY_BYTES)
                .map(n -> Body.rejected("huge", "{\"config\": {\"seed\": \"" + "x".repeat(n) + "\"}}"));
        Arbitrary<Body> deep = Arbitraries.integers().between(1, 8000)
                .map(n -> Body.rejected("nested", "{\"config\": {\"seed\": " + "[".repeat(n) + "]".repeat(n) + "}}"));
        Arbitrary<Body> base64 = Arbitraries.strings().all().ofMaxLength(200)
                .map(s -> Body.base64("base64 junk", s, false));
        Arbitrary<Body> base64Valid = validConfig().map(c -> Body.base64("base64 config", "{\"config\": " + c + "}", true));
        Arbitrary<Body> blank = Arbitraries.of("", " ", "\n\t", "null", "{}", "[]", "\"config\"", "0")
                .map(s -> Body.rejected("blank", s));
        return Arbitraries.frequencyOf(
                Tuple.of(3, anyText), Tuple.of(3, anyJson),
                Tuple.of(6, anyConfig), Tuple.of(3, forged),
                Tuple.of(4, badValue), Tuple.of(1, huge),
                Tuple.of(1, deep), Tuple.of(1, base64),
                Tuple.of(1, base64Valid), Tuple.of(1, blank));
    }

    /** A body, whether the generator knows it can never be accepted, and whether it travels base64-encoded. */
    public record Body(String kind, String text, boolean encoded, boolean mustBeRejected) {
        public static Body maybe(String kind, String text) {
            return new Body(kind, text, false, false);
        }

        public static Body rejected(String kind, String text) {
            return new Body(kind, text, false, true);
        }

        public static Body base64(String kind, String text, boolean mayBeValid) {
            return new Body(kind, Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)), true,
                    !mayBeValid);
        }

        public APIGatewayV2HTTPEvent applyTo(APIGatewayV2HTTPEvent event) {
            event.setBody(text);
            event.setIsBase64Encoded(encoded);
            return event;
        }

        @Override
        public String toString() {
            return kind + (encoded ? " (base64)" : "") + ": "
                    + (text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " chars)" : text);
        }
    }

    /** Any JSON text up to this depth, valid or not. */
    public static Arbitrary<String> json(int depth) {
        if (depth == 0) {
            return jsonScalar();
        }
        Arbitrary<String> inner = json(depth - 1);
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = Combinators.combine(keys(), inner).as((k, v) -> quote(k) + ":" + v)
                .list().ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}");
        return Arbitraries.oneOf(jsonScalar(), array, object);
    }

    public static Arbitrary<String> jsonScalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "1", "4", "20", "21", "-1", "2.5", "4.0", "1e1",
                        "1e400", "-1e400", "2147483648", "-2147483649", "99999999999999999999", "0x10", "NaN",
                        "Infinity", "01", "\"\"", "\"easy\"", "\"4\"", "'easy'", "{", "]", "\"\\ud800\"", "\"\\u0000\""),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().all().ofMaxLength(70).map(RequestGenerators::quote));
    }

    /** The members of a config object: known and unknown keys, any values. */
    public static Arbitrary<String> configMembers() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("difficulty", "player_count", "seed"), keys());
        Arbitrary<String> value = Arbitraries.oneOf(jsonScalar(), json(2), Arbitraries.of("\"peaceful\"", "\"hard\"",
                "\"normal\"", "\"s33d\"", "\"a-b_C9\"", "1", "20", "7"));
        return Combinators.combine(key, value).as((k, v) -> quote(k) + ": " + v).list().ofMaxSize(5)
                .map(members -> "{" + String.join(", ", members) + "}");
    }

    /** A valid config, rendered as JSON. */
    public static Arbitrary<String> validConfig() {
        return Combinators.combine(Arbitraries.of("peaceful", "easy", "normal", "hard"),
                        Arbitraries.integers().between(1, 20),
                        Arbitraries.strings().withChars("ABCXYZabcxyz0189_-").ofMinLength(1).ofMaxLength(64))
                .as((d, p, s) -> "{\"difficulty\": " + quote(d) + ", \"player_count\": " + p + ", \"seed\": "
                        + quote(s) + "}");
    }

    /** One config member that can never be accepted, whatever else the config says. */
    public static Arbitrary<String> badConfigValue() {
        Arbitrary<String> badDifficulty = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20)
                        .filter(s -> !Set.of("peaceful", "easy", "normal", "hard").contains(s)).map(RequestGenerators::quote),
                Arbitraries.of("1", "null", "true", "[]", "{}", "[\"easy\"]", "{\"value\": \"easy\"}"))
                .map(v -> "\"difficulty\": " + v);
        Arbitrary<String> badCount = Arbitraries.oneOf(
                Arbitraries.longs().filter(n -> n < 1 || n > 20).map(String::valueOf),
                Arbitraries.of("2.5", "4.0", "1e1", "\"4\"", "null", "true", "[4]", "{}", "99999999999999999999",
                        "1e400", "-0", "0"))
                .map(v -> "\"player_count\": " + v);
        Arbitrary<String> badSeed = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80).filter(s -> !s.matches("[A-Za-z0-9_-]{1,64}"))
                        .map(RequestGenerators::quote),
                Arbitraries.strings().withChars("abc").ofLength(65).map(RequestGenerators::quote),
                Arbitraries.of("\"abc\\n\"", "\"abc\\u0000\"", "42", "null", "[\"abc\"]", "\"\""))
                .map(v -> "\"seed\": " + v);
        Arbitrary<String> unknownKey = Combinators.combine(
                        keys().filter(k -> !Set.of("difficulty", "player_count", "seed").contains(k)), jsonScalar())
                .as((k, v) -> quote(k) + ": " + v);
        return Arbitraries.oneOf(badDifficulty, badCount, badSeed, unknownKey);
    }

    public static Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("Difficulty", "PLAYER_COUNT", "player_count ", "seed\u0000", "__proto__", "owner",
                        "ContainerImage", "config", "$ref", ""));
    }

    /** A JSON string literal of any Java string (control characters escaped, lone surrogates kept). */
    public static String quote(String s) {
        return new TextNode(s).toString();
    }


    /** Ids of every shape for a caller who owns {@code own}: random text, well-formed unknown ids, others' ids, near misses. */
    public static Arbitrary<String> ids(String own, List<String> othersIds) {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz234567").ofLength(20).map(s -> "gs-" + s),
                Arbitraries.of(othersIds),
                Arbitraries.of(own, own.toUpperCase(), " " + own, own + " ", own + "\n",
                        own + "/", "/" + own, "../" + own, own + "/..", "..%2F" + own, own.replace("-", "%2D"),
                        own.substring(0, own.length() - 1), own + "a", own.substring(0, own.length() - 1) + "1",
                        own.substring(0, own.length() - 1) + "T", own + "%00", own + "\u0000",
                        "gs-\uff41" + own.substring(4), "%00", "..", ".", "/", "%2e%2e%2f", "*", "gs-*", "' OR '1'='1",
                        "", " "));
    }

    /** Values for the list's {@code limit}: numbers in and out of range, and text that only looks like one. */
    public static Arbitrary<String> limits() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-1000, 1000).map(String::valueOf),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("", " 5", "5 ", "+5", "05", "0x10", "1e1", "5.0", "2147483648", "-2147483649",
                        "99999999999999999999", "NaN", "\u0661\u0660", "5,5"));
    }

    /** Values for the list's {@code next_token} that no list issued: any text, and text in the token alphabet. */
    public static Arbitrary<String> tokens() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/")
                        .ofMaxLength(80));
    }
}
