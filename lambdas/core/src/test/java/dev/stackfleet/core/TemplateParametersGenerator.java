package dev.stackfleet.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Reads a template's {@code Parameters} with SnakeYAML (as the API did at init before) and writes them in the form {@link TemplateParameters} loads,
 * so the Lambdas parse no YAML at init. The core module's build runs {@link #main} on
 * {@code templates/game-server.yaml} before its jar is made; nothing else writes the file.
 */
public final class TemplateParametersGenerator {

    private TemplateParametersGenerator() {}

    /** Arguments: the template, the properties file to write. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: TemplateParametersGenerator <template.yaml> <out.properties>");
        }
        TemplateParameters parameters;
        try (InputStream template = Files.newInputStream(Path.of(args[0]))) {
            parameters = parse(template);
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text(properties(parameters), args[0]), StandardCharsets.UTF_8);
    }

    /** Reads the {@code Parameters} section of a YAML or JSON template. */
    static TemplateParameters parse(InputStream template) {
        return TemplateParametersYaml.parse(template);
    }

    /** The constraints in the form {@link TemplateParameters#fromProperties} reads. */
    static Properties properties(TemplateParameters parameters) {
        Properties properties = new Properties();
        parameters.all().forEach((name, c) -> {
            properties.setProperty(name + "." + TemplateParameters.TYPE, c.type());
            for (int i = 0; i < c.allowedValues().size(); i++) {
                properties.setProperty(
                        name + "." + TemplateParameters.ALLOWED_VALUES + "." + i,
                        c.allowedValues().get(i));
            }
            Map<String, Object> optional = new LinkedHashMap<>();
            optional.put(TemplateParameters.ALLOWED_PATTERN, c.allowedPattern());
            optional.put(TemplateParameters.MIN_LENGTH, c.minLength());
            optional.put(TemplateParameters.MAX_LENGTH, c.maxLength());
            optional.put(
                    TemplateParameters.MIN_VALUE,
                    c.minValue() == null ? null : c.minValue().toPlainString());
            optional.put(
                    TemplateParameters.MAX_VALUE,
                    c.maxValue() == null ? null : c.maxValue().toPlainString());
            optional.put(TemplateParameters.CONSTRAINT_DESCRIPTION, c.constraintDescription());
            optional.forEach((key, value) -> {
                if (value != null) {
                    properties.setProperty(name + "." + key, value.toString());
                }
            });
        });
        return properties;
    }

    /** The file's text: sorted, without the date {@link Properties#store} would add, so builds are repeatable. */
    private static String text(Properties properties, String template) {
        StringWriter written = new StringWriter();
        try {
            properties.store(written, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String lines = written.toString()
                .lines()
                .filter(line -> !line.startsWith("#"))
                .sorted()
                .collect(Collectors.joining("\n", "", "\n"));
        return "# Generated at build time from " + Path.of(template).getFileName() + "; do not edit.\n" + lines;
    }
}
