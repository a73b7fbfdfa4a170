package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rules come from the template: change the template and the validator follows. */
class ConfigValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theShippedTemplateDeclaresTheDocumentedConstraints() {
        TemplateParameters template = TemplateParameters.gameServer();

        ParameterConstraint difficulty = template.get("Difficulty").orElseThrow();
        ParameterConstraint players = template.get("PlayerCount").orElseThrow();
        ParameterConstraint seed = template.get("Seed").orElseThrow();

        assertEquals(java.util.List.of("peaceful", "easy", "normal", "hard"), difficulty.allowedValues());
        assertEquals("1", players.minValue().toPlainString());
        assertEquals("20", players.maxValue().toPlainString());
        assertEquals(64, seed.maxLength());
    }

    @Test
    void constraintsAreReadFromTheTemplateNotHardCoded() {
        ConfigValidator validator = new ConfigValidator(TemplateParametersGenerator.parse(stream("""
                Parameters:
                  Difficulty: {Type: String, AllowedValues: [chill]}
                  PlayerCount: {Type: Number, MinValue: 2, MaxValue: 3}
                  Seed: {Type: String, AllowedPattern: "^[0-9]+$", MaxLength: 4}
                Resources:
                  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: !Sub "${AWS::StackName}"}}
                """)));

        GameServerConfig accepted =
                validator.validateNew(json("{\"difficulty\": \"chill\", \"player_count\": 3, \"seed\": \"42\"}"));
        InvalidRequestException easy = assertThrows(
                InvalidRequestException.class,
                () -> validator.validateNew(json("{\"difficulty\": \"easy\", \"player_count\": 2}")));
        InvalidRequestException one = assertThrows(
                InvalidRequestException.class,
                () -> validator.validateNew(json("{\"difficulty\": \"chill\", \"player_count\": 1}")));

        assertEquals(new GameServerConfig("chill", 3, "42"), accepted);
        assertEquals("config.difficulty must be one of chill", easy.getMessage());
        assertEquals("config.player_count must be between 2 and 3", one.getMessage());
    }

    @Test
    void aChangeKeepsTheKeysItDoesNotName() {
        ConfigValidator validator = new ConfigValidator(TemplateParameters.gameServer());

        GameServerConfig changed =
                validator.validateChange(new GameServerConfig("easy", 4, "s33d"), json("{\"difficulty\": \"hard\"}"));

        assertEquals(new GameServerConfig("hard", 4, "s33d"), changed);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
