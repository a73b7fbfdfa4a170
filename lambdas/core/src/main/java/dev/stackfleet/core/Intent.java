package dev.stackfleet.core;

import java.util.Locale;

/** What a workflow execution is asked to achieve for one game server. */
public enum Intent {
    CREATE,
    UPDATE,
    DELETE;

    /** The lower-case word used in execution names and inputs, e.g. {@code create}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the lower-case word back; throws {@link IllegalArgumentException} for anything else. */
    public static Intent fromWord(String word) {
        for (Intent intent : values()) {
            if (intent.word().equals(word)) {
                return intent;
            }
        }
        throw new IllegalArgumentException("Unknown intent: " + word);
    }
}
