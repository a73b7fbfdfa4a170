package dev.stackfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a state machine from {@code statemachines/<name>.asl.json} and substitutes its
 * {@code ${Placeholder}}s, as the CDK app's {@code definitionSubstitutions} do at deploy time.
 */
public final class StateMachineDefinitions {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    private final Path directory;
    private final Map<String, String> substitutions;

    public StateMachineDefinitions(Path directory, Map<String, String> substitutions) {
        this.directory = directory;
        this.substitutions = Map.copyOf(substitutions);
    }

    /** The definition of one machine, e.g. {@code provision}; fails on a placeholder without a value. */
    public String definition(String name) {
        Path file = directory.resolve(name + ".asl.json");
        String asl;
        try {
            asl = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        Matcher m = PLACEHOLDER.matcher(asl);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = substitutions.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(file + " uses ${" + m.group(1) + "}, which has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
