package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionInput;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The stack poll settings a replay's execution input carries, shared by {@code ops replay} and the console. */
final class PollOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--poll-initial-seconds",
            paramLabel = "N",
            defaultValue = "${env:POLL_INITIAL_SECONDS:-" + ExecutionInput.Poll.DEFAULT_INITIAL_SECONDS + "}",
            description =
                    "First stack poll interval of a replay (env POLL_INITIAL_SECONDS). Default: ${DEFAULT-VALUE}.")
    int pollInitialSeconds;

    @Option(
            names = "--poll-max-seconds",
            paramLabel = "N",
            defaultValue = "${env:POLL_MAX_SECONDS:-" + ExecutionInput.Poll.DEFAULT_MAX_SECONDS + "}",
            description = "Cap of a replay's growing poll interval (env POLL_MAX_SECONDS). Default: ${DEFAULT-VALUE}.")
    int pollMaxSeconds;

    /** The poll settings; a usage error when they are out of range. */
    ExecutionInput.Poll poll() {
        try {
            return new ExecutionInput.Poll(pollInitialSeconds, pollMaxSeconds);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
