package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The constraints the Lambdas load at init, from the file the build generated, are the template's own as SnakeYAML
 * reads it now; and every kind of constraint survives the generated form.
 */
class TemplateParametersTest {

    @Test
    void theGeneratedConstraintsAreTheTemplates() throws IOException {
        Path template = Path.of(System.getProperty("stackfleet.root", "../..")).resolve("templates/game-server.yaml");
        TemplateParameters fromYaml;
        try (InputStream in = Files.newInputStream(template)) {
            fromYaml = TemplateParametersGenerator.parse(in);
        }

        Map<String, String> expected = described(fromYaml);

        assertEquals(expected, described(TemplateParameters.gameServer()));
        assertTrue(expected.containsKey("PlayerCount"), "the template's parameters: " + expected.keySet());
    }

    @Test
    void everyKindOfConstraintSurvivesTheGeneratedForm() {
        TemplateParameters written =
                TemplateParametersGenerator.parse(new ByteArrayInputStream("""
                Parameters:
                  Mode: {Type: String, AllowedValues: ["a, b", "c=d"], ConstraintDescription: "x: y"}
                  Size: {Type: Number, MinValue: 0.5, MaxValue: 1e3}
                  Name: {Type: String, AllowedPattern: "^[a-z]+\\\\d*$", MinLength: 1, MaxLength: 8}
                """.getBytes(StandardCharsets.UTF_8)));

        TemplateParameters read = TemplateParameters.fromProperties(TemplateParametersGenerator.properties(written));

        assertEquals(described(written), described(read));
        assertEquals(3, read.all().size());
    }

    /** Each constraint as text: a Pattern has no equals of its own, but prints its expression. */
    private static Map<String, String> described(TemplateParameters parameters) {
        Map<String, String> described = new TreeMap<>();
        parameters.all().forEach((name, constraint) -> described.put(name, constraint.toString()));
        return described;
    }
}
