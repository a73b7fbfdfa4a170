package dev.stackfleet.reconciler;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.ExecutionRequest;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * The executions of one intent, found by name ({@code <intent's name>}, then {@code -r1}, {@code -r2} ...), and
 * the start of the one it needs next: the deterministic name while it was never used, so that a late start by the
 * stream finds it and starts nothing new; otherwise the next replay.
 */
final class WorkflowRuns {

    /**
     * The newest execution of an intent.
     *
     * @param name its name (the intent's, or a replay)
     * @param status {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code ABORTED}
     */
    record Run(ExecutionName name, String status) {
        boolean running() {
            return "RUNNING".equals(status) || "PENDING_REDRIVE".equals(status);
        }
    }

    private final SfnClient sfn;
    private final CallCount calls;

    WorkflowRuns(SfnClient sfn, CallCount calls) {
        this.sfn = sfn;
        this.calls = calls;
    }

    /** The newest execution of the request's intent, or empty when it never ran. */
    Optional<Run> newest(ExecutionRequest original) {
        // An operator may have replayed an intent whose own execution never started: look one replay further.
        Optional<Run> newest = describe(original).or(() -> describe(original.replayed(1)));
        for (int replay = newest.map(run -> run.name().replay() + 1).orElse(1); newest.isPresent(); replay++) {
            Optional<Run> next = describe(original.replayed(replay));
            if (next.isEmpty()) {
                return newest;
            }
            newest = next;
        }
        return newest;
    }

    /** The request to start after {@code newest}: the original when nothing ran, else the next replay. */
    static ExecutionRequest next(ExecutionRequest original, Optional<Run> newest) {
        return newest.map(run -> original.replayed(run.name().replay() + 1)).orElse(original);
    }

    /**
     * Starts a request.
     *
     * @return false when an execution of that name exists already (another pass, or the stream, was first)
     */
    boolean start(ExecutionRequest request) {
        calls.add("states:StartExecution");
        try {
            sfn.startExecution(b -> b.stateMachineArn(request.stateMachineArn())
                    .name(request.name().toString())
                    .input(request.input().toJson()));
            return true;
        } catch (ExecutionAlreadyExistsException e) {
            return false;
        }
    }

    private Optional<Run> describe(ExecutionRequest request) {
        calls.add("states:DescribeExecution");
        try {
            return Optional.of(new Run(
                    request.name(),
                    sfn.describeExecution(b -> b.executionArn(request.executionArn()))
                            .statusAsString()));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }
}
