package dev.stackfleet.core;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic name of the execution for one intent: {@code <gameserver_id>-<intent>-g<generation>},
 * with {@code -r<n>} appended for an operator's replay. One name per intent is what makes a retried stream
 * record start nothing new: Step Functions refuses a second execution under the same name.
 *
 * @param gameServerId the server
 * @param intent what the execution does
 * @param generation the desired-state generation it converges to
 * @param replay 0 for the original execution, n for the n-th replay
 */
public record ExecutionName(String gameServerId, Intent intent, long generation, int replay) {

    /** Step Functions' limit on execution names. */
    public static final int MAX_LENGTH = 80;

    private static final Pattern FORMAT = Pattern.compile(
            "(?<id>gs-[a-z0-9]+)-(?<intent>create|update|delete)-g(?<gen>[0-9]+)(?:-r(?<replay>[0-9]+))?");

    public ExecutionName {
        Objects.requireNonNull(gameServerId, "gameServerId");
        Objects.requireNonNull(intent, "intent");
        if (generation < 1 || replay < 0) {
            throw new IllegalArgumentException("generation must be >= 1 and replay >= 0");
        }
        if (toString(gameServerId, intent, generation, replay).length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Execution name longer than " + MAX_LENGTH + " characters");
        }
    }

    /** The original execution of an intent. */
    public static ExecutionName of(String gameServerId, Intent intent, long generation) {
        return new ExecutionName(gameServerId, intent, generation, 0);
    }

    /** The name of the next replay of this intent. */
    public ExecutionName replayed(int replayNumber) {
        return new ExecutionName(gameServerId, intent, generation, replayNumber);
    }

    /** Parses a name written by {@link #toString()}; throws {@link IllegalArgumentException} otherwise. */
    public static ExecutionName parse(String name) {
        Matcher m = FORMAT.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a stackfleet execution name: " + name);
        }
        String replay = m.group("replay");
        return new ExecutionName(
                m.group("id"),
                Intent.fromWord(m.group("intent")),
                Long.parseLong(m.group("gen")),
                replay == null ? 0 : Integer.parseInt(replay));
    }

    @Override
    public String toString() {
        return toString(gameServerId, intent, generation, replay);
    }

    private static String toString(String id, Intent intent, long generation, int replay) {
        String name = id + "-" + intent.word() + "-g" + generation;
        return replay == 0 ? name : name + "-r" + replay;
    }
}
