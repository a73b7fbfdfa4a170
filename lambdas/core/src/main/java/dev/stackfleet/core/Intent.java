package dev.stackfleet.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a workflow execution is asked to achieve for one game server. */
public enum Intent {
    CREATE,
    UPDATE,
    DELETE;

    /** The lower-case word used in execution names and inputs, e.g. {@code create}. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the lower-case word back; throws {@link IllegalArgumentException} for anything else. */
    @JsonCreator
    public static Intent fromWord(String word) {
        for (Intent intent : values()) {
            if (intent.word().equals(word)) {
                return intent;
            }
        }
        throw new IllegalArgumentException("Unknown intent: " + word);
    }

    /**
     * The intent an item asks for now, as the stream derives it from the write that made the item so: delete once
     * deletion was requested, create at generation 1, update after that.
     */
    public static Intent current(boolean deleteRequested, long generation) {
        if (deleteRequested) {
            return DELETE;
        }
        return generation <= 1 ? CREATE : UPDATE;
    }
}
