package dev.stackfleet.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Lambda's configuration from its environment once, at init, collecting every missing or malformed
 * variable so that a failed init names them all at once.
 */
public final class EnvironmentReader {

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public EnvironmentReader(Map<String, String> env) {
        this.env = env;
    }

    /** A variable that must be set (trimmed), or {@code null} with a problem noted. */
    public String required(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            problems.add("environment variable " + name + " is not set");
            return null;
        }
        return value.trim();
    }

    /** A variable, or the fallback when it is unset or blank. */
    public String optional(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** A whole number, or the fallback when unset; a problem is noted when it is not a whole number. */
    public int number(String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + value + "'");
            return fallback;
        }
    }

    /** Adds a problem found by the caller. */
    public void problem(String problem) {
        problems.add(problem);
    }

    /**
     * Throws when anything was missing or malformed.
     *
     * @param component what cannot start, e.g. {@code the stream Lambda}
     */
    public void check(String component) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException(cannotStart(component, String.join("; ", problems)));
        }
    }

    /** The message of a failed init. */
    public static String cannotStart(String component, String why) {
        return Character.toUpperCase(component.charAt(0)) + component.substring(1) + " cannot start: " + why;
    }
}
