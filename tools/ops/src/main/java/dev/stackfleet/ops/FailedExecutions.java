package dev.stackfleet.ops;

import dev.stackfleet.core.Intent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The executions of both workflows that ended unsuccessfully ({@code FAILED}, {@code TIMED_OUT},
 * {@code ABORTED}) since a time, from ListExecutions with a status filter. ListExecutions returns the newest
 * started first; paging stops at the first execution that ended before the time, so the cost follows the
 * failures in the window, not the history of the state machine.
 */
final class FailedExecutions {

    /** The end states RedriveExecution accepts. */
    static final List<ExecutionStatus> STATUSES =
            List.of(ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED);

    private FailedExecutions() {}

    /** Every execution of both state machines that ended unsuccessfully at or after {@code since}. */
    static List<ExecutionListItem> since(SfnClient sfn, StateMachines machines, Instant since, Progress progress) {
        List<ExecutionListItem> found = new ArrayList<>();
        for (String machine : List.of(machines.machineFor(Intent.CREATE), machines.machineFor(Intent.DELETE))) {
            for (ExecutionStatus status : STATUSES) {
                found.addAll(AwsCall.call(
                        "states:ListExecutions",
                        machine,
                        () -> endedSince(
                                sfn.listExecutionsPaginator(
                                                b -> b.stateMachineArn(machine).statusFilter(status))
                                        .executions(),
                                since)));
                progress.update(found.size(), "executions");
            }
        }
        return found;
    }

    /**
     * The leading executions of a newest-started-first listing that ended at or after {@code since}; the listing
     * is read lazily and no further than the first that ended earlier.
     */
    static List<ExecutionListItem> endedSince(Iterable<ExecutionListItem> newestStartedFirst, Instant since) {
        return StreamSupport.stream(newestStartedFirst.spliterator(), false)
                .takeWhile(e -> e.stopDate() != null && !e.stopDate().isBefore(since))
                .toList();
    }
}
