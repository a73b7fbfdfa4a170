package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.Intent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * Finds one server's executions by their deterministic names with DescribeExecution: {@code create-g1},
 * {@code update-g2} to {@code update-gN}, {@code delete-gN}, each followed by its replays {@code -r1},
 * {@code -r2} ... up to the first that does not exist. The cost grows with the server's own history, not
 * with the size of the fleet (ListExecutions would page through every execution of a state machine).
 */
final class ServerExecutions {

    private final SfnClient sfn;
    private final StateMachines machines;
    private final PrintWriter err;

    ServerExecutions(SfnClient sfn, StateMachines machines, PrintWriter err) {
        this.sfn = sfn;
        this.machines = machines;
        this.err = err;
    }

    /** The execution with this ARN, or empty if it does not exist. */
    Optional<Execution> describe(String executionArn) {
        return AwsCall.call("states:DescribeExecution", executionArn, () -> {
            try {
                return Optional.of(Execution.from(sfn.describeExecution(b -> b.executionArn(executionArn))));
            } catch (ExecutionDoesNotExistException e) {
                return Optional.empty();
            }
        });
    }

    /** The execution with this ARN; an {@link OpsException} if it does not exist. */
    Execution describeExisting(String executionArn) {
        return describe(executionArn)
                .orElseThrow(() -> new OpsException(
                        "no execution " + executionArn + " (check the ARN, the region and the account)"));
    }

    /** The execution with this name, or empty if it was never started. */
    Optional<Execution> describe(ExecutionName name) {
        return describe(machines.executionArn(name));
    }

    /**
     * Every execution of a server, newest first.
     *
     * @param gameServerId the server
     * @param generation the server's current generation when its item exists; otherwise empty, and the
     *     generations are probed upwards until one has no execution at all
     */
    List<Execution> of(String gameServerId, OptionalLong generation) {
        Progress progress = new Progress(err, "looking up executions of " + gameServerId);
        List<Execution> found = new ArrayList<>();
        for (long g = 1; generation.isEmpty() || g <= generation.getAsLong(); g++) {
            int before = found.size();
            found.addAll(attempts(ExecutionName.of(gameServerId, g == 1 ? Intent.CREATE : Intent.UPDATE, g)));
            // A delete runs at the server's last generation; when that is unknown, every generation is probed.
            if (generation.isEmpty() || g == generation.getAsLong()) {
                found.addAll(attempts(ExecutionName.of(gameServerId, Intent.DELETE, g)));
            }
            progress.update(found.size(), "executions");
            if (generation.isEmpty() && found.size() == before) {
                break;
            }
        }
        found.sort(Comparator.comparing(Execution::startDate, Comparator.nullsLast(Comparator.reverseOrder())));
        return found;
    }

    /** The execution of an intent and its replays, as far as they exist, oldest first. */
    List<Execution> attempts(ExecutionName intent) {
        List<Execution> attempts = new ArrayList<>();
        describe(intent).ifPresent(attempts::add);
        // A replay may exist without the original (a stream record that never started one).
        for (int replay = 1; ; replay++) {
            Optional<Execution> execution = describe(intent.replayed(replay));
            if (execution.isEmpty()) {
                return attempts;
            }
            attempts.add(execution.get());
        }
    }
}
