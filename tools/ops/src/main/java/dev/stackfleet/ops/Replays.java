package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.ExecutionRequest;
import java.util.List;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * The replay rules, one implementation for {@code ops replay} and the console: the next replay of a server's
 * current intent is named {@code <intent's name>-r<n>} with the next free counter (or the intent's own name when
 * it never ran, so a late start by the stream adds nothing), its input built from the item as the stream Lambda
 * builds it; a server with a running execution of that intent is not replayed.
 */
final class Replays {

    /**
     * The next replay of a server's current intent.
     *
     * @param gameServerId the server
     * @param name the replay's name, {@code <intent's name>-r<n>}
     * @param stateMachineArn the workflow that runs it
     * @param input the execution input, as the stream Lambda builds it
     * @param executionArn the ARN it has once started
     */
    record Replay(String gameServerId, ExecutionName name, String stateMachineArn, String input, String executionArn) {}

    private final SfnClient sfn;
    private final StateMachines machines;
    private final ServerExecutions executions;

    Replays(SfnClient sfn, StateMachines machines, ServerExecutions executions) {
        this.sfn = sfn;
        this.machines = machines;
        this.executions = executions;
    }

    /**
     * The next replay of the server's current intent; an {@link OpsException} if an execution of that intent
     * is still running or the item cannot be turned into an input.
     */
    Replay next(ServerView server, ExecutionInput.Poll poll) {
        ExecutionRequest original = machines.requestFor(server, poll);
        List<Execution> attempts = executions.attempts(original.name());
        attempts.stream()
                .filter(e -> "RUNNING".equals(e.status()) || "PENDING_REDRIVE".equals(e.status()))
                .findFirst()
                .ifPresent(running -> {
                    throw new OpsException(running.name() + " is still running: wait for it, or stop it first"
                            + " (aws stepfunctions stop-execution --execution-arn " + running.arn() + ")");
                });
        ExecutionRequest replay = attempts.isEmpty()
                ? original
                : original.replayed(attempts.stream()
                                .mapToInt(e -> ExecutionName.parse(e.name()).replay())
                                .max()
                                .orElse(0)
                        + 1);
        return new Replay(
                server.gameServerId(),
                replay.name(),
                replay.stateMachineArn(),
                replay.input().toJson(),
                replay.executionArn());
    }

    /** Starts a replay; an {@link OpsException} when it was started meanwhile (its name is taken). */
    void start(Replay replay) {
        AwsCall.call("states:StartExecution", replay.stateMachineArn(), () -> {
            try {
                return sfn.startExecution(b -> b.stateMachineArn(replay.stateMachineArn())
                                .name(replay.name().toString())
                                .input(replay.input()))
                        .executionArn();
            } catch (ExecutionAlreadyExistsException e) {
                throw new OpsException(replay.name() + " was started meanwhile by someone else: see ./stackfleet"
                        + " ops executions " + replay.gameServerId());
            }
        });
    }
}
