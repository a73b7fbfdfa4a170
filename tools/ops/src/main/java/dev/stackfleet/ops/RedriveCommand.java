package dev.stackfleet.ops;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

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
        Redrives redrives = redrives();
        Execution execution = ops.executions().describeExisting(executionArn);
        redrives.refusal(execution, force).ifPresent(reason -> {
            throw new OpsException(reason);
        });
        Bulk.Result result = redrives.redrive(execution, true);
        Bulk.print(ops, List.of(result));
        if (!"redriven".equals(result.outcome())) {
            throw new OpsException(result.detail());
        }
        return 0;
    }

    private int redriveFailed() {
        Progress progress = new Progress(ops.err(), yes ? "redriving" : "checking");
        List<ExecutionListItem> listed = FailedExecutions.since(ops.clients().sfn(), ops.machines(), since, progress);
        Redrives redrives = redrives();
        List<Bulk.Result> results = Bulk.run(
                listed,
                concurrency,
                progress,
                "executions",
                listedExecution -> planOrRedrive(redrives, listedExecution));
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
    private Optional<Bulk.Result> planOrRedrive(Redrives redrives, ExecutionListItem listed) {
        String id = Redrives.serverOf(listed.name()).orElse(null);
        try {
            if (redrives.failStateEnd(listed.statusAsString(), listed.executionArn())
                    .isPresent()) {
                return Optional.empty();
            }
            Execution execution = ops.executions().describeExisting(listed.executionArn());
            Optional<String> whyNot = force ? Optional.empty() : redrives.whyNotRedrive(execution);
            return Optional.of(
                    whyNot.isPresent()
                            ? new Bulk.Result(id, execution.arn(), "skipped", whyNot.get())
                            : redrives.redrive(execution, yes));
        } catch (OpsException e) {
            return Optional.of(new Bulk.Result(id, listed.executionArn(), "failed", e.getMessage()));
        }
    }

    private Redrives redrives() {
        return new Redrives(ops.clients().sfn(), ops.table(), ops.executions());
    }
}
