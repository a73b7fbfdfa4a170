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
 *
 * <p>A create or update converges to the item's release, so one that failed on a bad release fails again when
 * replayed as it is. A replay onto another release points the server at it first, with a write conditional on
 * the generation and status it was planned from (no new generation, so the stream starts nothing), and its input
 * carries that release. A delete runs no release and replays as it is.
 */
final class Replays {

    /**
     * The next replay of a server's current intent.
     *
     * @param server the server as read when the replay was planned
     * @param name the replay's name, {@code <intent's name>-r<n>}
     * @param stateMachineArn the workflow that runs it
     * @param input the execution input, as the stream Lambda builds it
     * @param executionArn the ARN it has once started
     * @param release the release it converges to, or {@code null} for a delete
     */
    record Replay(
            ServerView server,
            ExecutionName name,
            String stateMachineArn,
            String input,
            String executionArn,
            String release) {

        String gameServerId() {
            return server.gameServerId();
        }

        /** Whether it points the server at another release before it starts. */
        boolean retargets() {
            return release != null && !release.equals(server.release());
        }
    }

    private final SfnClient sfn;
    private final StateMachines machines;
    private final ServerExecutions executions;
    private final GameServerTable table;

    Replays(SfnClient sfn, StateMachines machines, ServerExecutions executions, GameServerTable table) {
        this.sfn = sfn;
        this.machines = machines;
        this.executions = executions;
        this.table = table;
    }

    /**
     * The next replay of the server's current intent, on its own release; an {@link OpsException} if an execution
     * of that intent is still running or the item cannot be turned into an input.
     */
    Replay next(ServerView server, ExecutionInput.Poll poll) {
        return next(server, poll, null);
    }

    /**
     * The next replay of the server's current intent, a create or update on this release (or the item's own when
     * {@code null}); an {@link OpsException} as {@link #next(ServerView, ExecutionInput.Poll)}.
     */
    Replay next(ServerView server, ExecutionInput.Poll poll, String release) {
        ServerView target = release == null || server.deleteRequested() ? server : server.onRelease(release);
        ExecutionRequest original = machines.requestFor(target, poll);
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
                server,
                replay.name(),
                replay.stateMachineArn(),
                replay.input().toJson(),
                replay.executionArn(),
                replay.input().release());
    }

    /**
     * Starts a replay, pointing the server at its release first if that changes; an {@link OpsException} when the
     * server changed since the replay was planned, or the replay was started meanwhile (its name is taken).
     */
    void start(Replay replay) {
        if (replay.retargets() && !table.retarget(replay.server(), replay.release())) {
            throw new OpsException(replay.gameServerId() + " changed since the replay was planned (its generation or"
                    + " status): nothing was written or started; look at it again");
        }
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
