package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.Intent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code ops redrive <execution-arn>} and {@code ops redrive --failed [--since T] [--yes]}: Step Functions
 * RedriveExecution, which resumes a failed, timed-out or aborted execution at the state where it stopped.
 *
 * <p>Redrive is for executions that stopped without recording their outcome: a task error outside the
 * workflows' Catch paths, a {@code States.Runtime} error, a timeout, an abort. Their server is usually left
 * {@code CREATING}, {@code UPDATING} or {@code DELETING}. An execution that ended at its workflow's Fail state
 * (see {@link FailStateEnd}) recorded {@code *_FAILED} and would only re-run that Fail state: the single form
 * refuses it and names {@code replay}, the bulk form leaves it out and counts it.
 *
 * <p>The bulk form lists the unsuccessful executions of both workflows that ended since {@code --since}
 * (default 14 days, Step Functions' redrive window) with ListExecutions. It skips, like the single form
 * refuses without {@code --force}, an execution whose generation was superseded (redriving an old update would
 * converge the stack back to an old config; the owner comes from the execution input) and one of which a later
 * replay exists (two executions would converge the same server). It is a dry run unless {@code --yes} is
 * given, redrives with bounded concurrency and ends with a summary.
 */
@Command(
        name = "redrive",
        description = "Redrive an execution that stopped without recording its outcome, or all of them (--failed).")
final class RedriveCommand implements Callable<Integer> {

    private static final Set<String> REDRIVABLE_STATUSES = Set.copyOf(
            FailedExecutions.STATUSES.stream().map(ExecutionStatus::toString).toList());

    @ParentCommand
    OpsMain ops;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "EXECUTION_ARN", description = "The execution to redrive.")
    String executionArn;

    @Option(
            names = "--failed",
            description = "Redrive every failed, timed-out or aborted execution that did not end at its Fail state.")
    boolean failed;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = Since.class,
            defaultValue = "14d",
            description = "With --failed: executions that ended since TIME (30m, 2h, 1d or ISO-8601)."
                    + " Default: ${DEFAULT-VALUE}, the redrive window.")
    Instant since;

    @Option(names = "--yes", description = "With --failed: act; without it the bulk form only shows its plan.")
    boolean yes;

    @Option(names = "--force", description = "Redrive even an execution that was superseded or has a later replay.")
    boolean force;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "4",
            description = "With --failed: executions checked and redriven at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Override
    public Integer call() {
        if ((executionArn == null) == !failed) {
            throw new ParameterException(spec.commandLine(), "give either an EXECUTION_ARN or --failed");
        }
        return failed ? redriveFailed() : redriveOne();
    }

    private int redriveOne() {
        Execution execution = ops.executions().describeExisting(executionArn);
        Optional<ExecutionName> name = parseName(execution.name());
        String id = name.map(ExecutionName::gameServerId).orElse("<gameserver_id>");
        failStateEnd(execution.status(), execution.arn()).ifPresent(end -> {
            throw new OpsException(end.explanation() + ". Fix the cause, then ./stackfleet ops replay " + id);
        });
        if (!force) {
            whyNotRedrive(execution, name).ifPresent(reason -> {
                throw new OpsException("not redriven: " + reason + "; pass --force to redrive it anyway");
            });
        }
        Bulk.Result result =
                redrive(execution, name.map(ExecutionName::gameServerId).orElse(null), true);
        Bulk.print(ops, List.of(result));
        if (!"redriven".equals(result.outcome())) {
            throw new OpsException(result.detail());
        }
        return 0;
    }

    private int redriveFailed() {
        Progress progress = new Progress(ops.err(), yes ? "redriving" : "checking");
        List<ExecutionListItem> listed = FailedExecutions.since(ops.clients().sfn(), ops.machines(), since, progress);
        List<Bulk.Result> results = Bulk.run(listed, concurrency, progress, "executions", this::planOrRedrive);
        Bulk.print(ops, results);
        long failures = Bulk.count(results, "failed");
        String recorded = (listed.size() - results.size()) + " ended at their Fail state (recorded failures:"
                + " replay --failed)";
        ops.err()
                .println(
                        yes
                                ? Bulk.count(results, "redriven") + " redriven, " + Bulk.count(results, "skipped")
                                        + " skipped, " + failures + " failed; " + recorded
                                : "dry run: " + Bulk.count(results, "would-redrive") + " would be redriven, "
                                        + Bulk.count(results, "skipped") + " skipped; " + recorded
                                        + "; run again with --yes to redrive");
        return failures == 0 ? 0 : 1;
    }

    /** The outcome for one listed execution; empty when it ended at its Fail state. */
    private Optional<Bulk.Result> planOrRedrive(ExecutionListItem listed) {
        Optional<ExecutionName> name = parseName(listed.name());
        String id = name.map(ExecutionName::gameServerId).orElse(null);
        try {
            if (failStateEnd(listed.statusAsString(), listed.executionArn()).isPresent()) {
                return Optional.empty();
            }
            Execution execution = ops.executions().describeExisting(listed.executionArn());
            Optional<String> whyNot = force ? Optional.empty() : whyNotRedrive(execution, name);
            return Optional.of(
                    whyNot.isPresent()
                            ? new Bulk.Result(id, execution.arn(), "skipped", whyNot.get())
                            : redrive(execution, id, yes));
        } catch (OpsException e) {
            return Optional.of(new Bulk.Result(id, listed.executionArn(), "failed", e.getMessage()));
        }
    }

    /** Where a failed execution ended, if at a Fail state (executions that timed out or were aborted did not). */
    private Optional<FailStateEnd> failStateEnd(String status, String executionArn) {
        return ExecutionStatus.FAILED.toString().equals(status)
                ? FailStateEnd.read(ops.clients().sfn(), executionArn)
                : Optional.empty();
    }

    /** Why redriving a stackfleet execution would do the wrong thing, if it would. */
    private Optional<String> whyNotRedrive(Execution execution, Optional<ExecutionName> name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String owner = execution.inputJson().path("owner").asText(null);
        Optional<ServerView> server = owner == null
                ? Optional.empty()
                : ops.table().get(owner, name.get().gameServerId());
        return supersededBy(name.get(), server)
                .map(reason -> reason + "; replay instead")
                .or(() -> laterAttempt(
                        name.get(), ops.executions().attempts(name.get().replayed(0))));
    }

    /** Redrives one execution if its state allows it (or, with {@code act == false}, says it would). */
    private Bulk.Result redrive(Execution execution, String gameServerId, boolean act) {
        String arn = execution.arn();
        if (!REDRIVABLE_STATUSES.contains(execution.status())) {
            return new Bulk.Result(gameServerId, arn, "skipped", "it is " + execution.status());
        }
        if ("NOT_REDRIVABLE".equals(execution.redriveStatus())) {
            return new Bulk.Result(
                    gameServerId,
                    arn,
                    "skipped",
                    "Step Functions cannot redrive it (" + execution.redriveStatusReason() + "); replay instead");
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
                    () -> ops.clients()
                            .sfn()
                            .redriveExecution(b -> b.executionArn(arn).clientToken(clientToken(execution)))
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

    private static Optional<ExecutionName> parseName(String name) {
        try {
            return Optional.of(ExecutionName.parse(name));
        } catch (IllegalArgumentException notStackfleets) {
            return Optional.empty();
        }
    }
}
