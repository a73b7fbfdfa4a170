package dev.stackfleet.local;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Makes workflow progress visible in local mode: one line when an execution appears and one when it
 * finishes, with its status and duration (and, for a failure, the error and cause).
 */
public final class ExecutionWatcher implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final SfnClient sfn;
    private final List<String> stateMachineArns;
    private final Map<String, ExecutionStatus> seen = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "execution-watcher");
        thread.setDaemon(true);
        return thread;
    });

    public ExecutionWatcher(SfnClient sfn, List<String> stateMachineArns) {
        this.sfn = sfn;
        this.stateMachineArns = List.copyOf(stateMachineArns);
    }

    public void start() {
        // Runs until close() shuts the timer down; poll() reports its own failures, so nothing waits on the future.
        ScheduledFuture<?> unused =
                timer.scheduleWithFixedDelay(this::poll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void poll() {
        try {
            for (String arn : stateMachineArns) {
                for (ExecutionListItem execution :
                        sfn.listExecutionsPaginator(r -> r.stateMachineArn(arn)).executions()) {
                    report(execution);
                }
            }
        } catch (SdkException e) {
            LocalLog.line("workflow", "cannot list executions: " + e.getMessage());
        }
    }

    private void report(ExecutionListItem execution) {
        ExecutionStatus previous = seen.put(execution.executionArn(), execution.status());
        if (previous == execution.status()) {
            return;
        }
        if (previous == null) {
            LocalLog.line("workflow", String.format("%-10s%s", "started", execution.name()));
        }
        if (execution.status() != ExecutionStatus.RUNNING) {
            Instant stop = execution.stopDate() == null ? Instant.now() : execution.stopDate();
            String line = String.format(
                    "%-10s%s after %.1fs",
                    execution.status(),
                    execution.name(),
                    Duration.between(execution.startDate(), stop).toMillis() / 1000.0);
            if (execution.status() != ExecutionStatus.SUCCEEDED) {
                var described = sfn.describeExecution(r -> r.executionArn(execution.executionArn()));
                line += ": " + described.error() + ": " + described.cause();
            }
            LocalLog.line("workflow", line);
        }
    }
}
