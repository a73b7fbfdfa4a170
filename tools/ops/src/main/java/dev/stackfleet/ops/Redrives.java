package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.Intent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The redrive rules, one implementation for {@code ops redrive} and the console. Redrive resumes an execution
 * that stopped without recording its outcome; an execution that ended at its workflow's Fail state recorded
 * {@code *_FAILED} and is replayed instead (see {@link FailStateEnd}). An execution whose generation was
 * superseded, or of which a later replay exists, is not redriven unless forced.
 */
final class Redrives {

    private static final Set<String> REDRIVABLE_STATUSES = Set.copyOf(
            FailedExecutions.STATUSES.stream().map(ExecutionStatus::toString).toList());

    private final SfnClient sfn;
    private final GameServerTable table;
    private final ServerExecutions executions;

    Redrives(SfnClient sfn, GameServerTable table, ServerExecutions executions) {
        this.sfn = sfn;
        this.table = table;
        this.executions = executions;
    }

    /**
     * Why this one execution must not be redriven, if so: it recorded its failure (replay it), it was superseded
     * or has a later attempt (unless {@code force}), it did not stop unsuccessfully, or Step Functions cannot
     * redrive it.
     */
    Optional<String> refusal(Execution execution, boolean force) {
        String id = serverOf(execution.name()).orElse("<gameserver_id>");
        Optional<FailStateEnd> end = failStateEnd(execution.status(), execution.arn());
        if (end.isPresent()) {
            return Optional.of(end.get().explanation() + ". Fix the cause, then ./stackfleet ops replay " + id);
        }
        if (!force) {
            Optional<String> whyNot = whyNotRedrive(execution);
            if (whyNot.isPresent()) {
                return Optional.of("not redriven: " + whyNot.get() + "; pass --force to redrive it anyway");
            }
        }
        return notRedrivable(execution);
    }

    /** Where a failed execution ended, if at a Fail state (executions that timed out or were aborted did not). */
    Optional<FailStateEnd> failStateEnd(String status, String executionArn) {
        return ExecutionStatus.FAILED.toString().equals(status)
                ? FailStateEnd.read(sfn, executionArn)
                : Optional.empty();
    }

    /** Why redriving a stackfleet execution would do the wrong thing, if it would. */
    Optional<String> whyNotRedrive(Execution execution) {
        Optional<ExecutionName> name = parseName(execution.name());
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String owner = execution.inputJson().path("owner").asText(null);
        Optional<ServerView> server =
                owner == null ? Optional.empty() : table.get(owner, name.get().gameServerId());
        return supersededBy(name.get(), server)
                .map(reason -> reason + "; replay instead")
                .or(() ->
                        laterAttempt(name.get(), executions.attempts(name.get().replayed(0))));
    }

    /** Why Step Functions would refuse the redrive, if it would. */
    private static Optional<String> notRedrivable(Execution execution) {
        if (!REDRIVABLE_STATUSES.contains(execution.status())) {
            return Optional.of("it is " + execution.status());
        }
        if ("NOT_REDRIVABLE".equals(execution.redriveStatus())) {
            return Optional.of(
                    "Step Functions cannot redrive it (" + execution.redriveStatusReason() + "); replay instead");
        }
        return Optional.empty();
    }

    /** Redrives one execution if its state allows it (or, with {@code act == false}, says it would). */
    Bulk.Result redrive(Execution execution, boolean act) {
        String arn = execution.arn();
        String gameServerId = serverOf(execution.name()).orElse(null);
        Optional<String> notRedrivable = notRedrivable(execution);
        if (notRedrivable.isPresent()) {
            return new Bulk.Result(gameServerId, arn, "skipped", notRedrivable.get());
        }
        if (!act) {
            return new Bulk.Result(
                    gameServerId,
                    arn,
                    "would-redrive",
                    execution.error() == null ? execution.status() : execution.status() + " " + execution.error());
        }
        try {
            Instant at = AwsCall.call(
                    "states:RedriveExecution",
                    arn,
                    () -> sfn.redriveExecution(b -> b.executionArn(arn).clientToken(clientToken(execution)))
                            .redriveDate());
            return new Bulk.Result(gameServerId, arn, "redriven", "at " + at);
        } catch (OpsException e) {
            return new Bulk.Result(gameServerId, arn, "failed", e.getMessage());
        }
    }

    /**
     * Why redriving an execution would act on an outdated desired state, if it would: the server's item is
     * gone (for a create or update), deletion was requested meanwhile, or its generation moved on.
     */
    static Optional<String> supersededBy(ExecutionName name, Optional<ServerView> server) {
        if (server.isEmpty()) {
            return name.intent() == Intent.DELETE
                    ? Optional.empty()
                    : Optional.of("the server's item no longer exists");
        }
        ServerView s = server.get();
        if (name.intent() != Intent.DELETE && s.deleteRequested()) {
            return Optional.of("deletion of the server was requested since");
        }
        if (name.generation() < s.generation()) {
            return Optional.of("superseded: the server is at generation " + s.generation() + ", the execution"
                    + " converges generation " + name.generation());
        }
        return Optional.empty();
    }

    /**
     * The later replay of the same intent, if one exists: it took over (running, succeeded, or failed itself),
     * and redriving this one too would run two executions for one server.
     *
     * @param attempts the intent's execution and its replays, as {@link ServerExecutions#attempts} finds them
     */
    static Optional<String> laterAttempt(ExecutionName name, List<Execution> attempts) {
        return attempts.stream()
                .filter(e -> ExecutionName.parse(e.name()).replay() > name.replay())
                .reduce((first, second) -> second)
                .map(e -> "a later attempt exists: " + e.name() + " (" + e.status() + ")");
    }

    /**
     * The idempotency token of a redrive: the same for a retried request, new once the execution was redriven
     * (it includes the redrive count).
     */
    static String clientToken(Execution execution) {
        int count = execution.redriveCount() == null ? 0 : execution.redriveCount();
        return UUID.nameUUIDFromBytes((execution.arn() + "#" + count).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The server of a stackfleet execution name; empty for another execution. */
    static Optional<String> serverOf(String executionName) {
        return parseName(executionName).map(ExecutionName::gameServerId);
    }

    private static Optional<ExecutionName> parseName(String name) {
        try {
            return Optional.of(ExecutionName.parse(name));
        } catch (IllegalArgumentException notStackfleets) {
            return Optional.empty();
        }
    }
}
