package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.Intent;
import dev.stackfleet.core.Workflows;
import dev.stackfleet.reconciler.Finding;
import dev.stackfleet.reconciler.ReconcileReport;
import dev.stackfleet.reconciler.ReconcileSettings;
import dev.stackfleet.reconciler.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * {@code ops reconcile}: one reconcile pass on demand, the same pass the scheduled reconciler Lambda runs. It
 * restarts servers whose intent was lost, re-converges {@code ACTIVE} servers whose stack is missing, failed or
 * drifted, and lists orphan stacks; it deletes orphans only with {@code --delete-orphans --yes}
 * ({@code --delete-orphans} alone previews the whole pass, as {@code --dry-run} does). Prints each finding with
 * what was done, or what would be. Exit status 1 when a repair could not be started or something could not be
 * checked ({@code UNRESOLVED}).
 */
@Command(
        name = "reconcile",
        description = "Run one reconcile pass: restart lost intents, re-converge missing, failed or drifted stacks,"
                + " list orphan stacks (deleted only with --delete-orphans --yes).")
final class ReconcileCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "Report what a pass would do, and do nothing.")
    boolean dryRun;

    @Option(
            names = "--delete-orphans",
            description = "Delete the orphan stacks found; without --yes, only preview what the pass would do.")
    boolean deleteOrphans;

    @Option(names = "--yes", description = "With --delete-orphans: really delete them.")
    boolean yes;

    @Option(
            names = "--stuck-after",
            paramLabel = "AGE",
            converter = Age.class,
            defaultValue = "10m",
            description = "A pending or in-progress server unchanged this long with no running execution is"
                    + " restarted. Default: ${DEFAULT-VALUE}.")
    Duration stuckAfter;

    @Option(
            names = "--orphan-grace",
            paramLabel = "AGE",
            converter = Age.class,
            defaultValue = "1h",
            description = "A stack without an item counts as an orphan once it is this old. Default: ${DEFAULT-VALUE}.")
    Duration orphanGrace;

    @Option(
            names = "--account",
            split = ",",
            paramLabel = "ACCOUNT_ID",
            defaultValue = "${env:WORKLOAD_ACCOUNTS}",
            description = "Workload accounts to list for orphans, besides those servers are placed in"
                    + " (env WORKLOAD_ACCOUNTS).")
    List<String> accounts;

    @Option(
            names = "--workload-region",
            paramLabel = "REGION",
            defaultValue = "${env:AWS_REGION}",
            description = "The workload accounts' region. Default: AWS_REGION.")
    String workloadRegion;

    @Option(
            names = "--max-repairs",
            paramLabel = "N",
            defaultValue = "100",
            description = "Most executions one pass starts. Default: ${DEFAULT-VALUE}.")
    int maxRepairs;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "4",
            description = "Servers checked at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(
            names = "--poll-initial-seconds",
            paramLabel = "N",
            defaultValue = "${env:POLL_INITIAL_SECONDS:-" + ExecutionInput.Poll.DEFAULT_INITIAL_SECONDS + "}",
            description = "First stack poll interval, as the stream Lambda's (env POLL_INITIAL_SECONDS)."
                    + " Default: ${DEFAULT-VALUE}.")
    int pollInitialSeconds;

    @Option(
            names = "--poll-max-seconds",
            paramLabel = "N",
            defaultValue = "${env:POLL_MAX_SECONDS:-" + ExecutionInput.Poll.DEFAULT_MAX_SECONDS + "}",
            description = "Cap of the growing poll interval, as the stream Lambda's (env POLL_MAX_SECONDS)."
                    + " Default: ${DEFAULT-VALUE}.")
    int pollMaxSeconds;

    @Override
    public Integer call() {
        if (yes && !deleteOrphans) {
            throw new ParameterException(spec.commandLine(), "--yes confirms --delete-orphans; give both, or neither");
        }
        String region = workloadRegion != null && !workloadRegion.isBlank() ? workloadRegion : ops.region;
        if (region == null || region.isBlank()) {
            throw new ParameterException(spec.commandLine(), "give --workload-region (or set AWS_REGION)");
        }
        ReconcileSettings settings;
        try {
            settings = new ReconcileSettings(
                    ops.table,
                    ops.accountPoolTable,
                    new Workflows(
                            ops.machines().machineFor(Intent.CREATE),
                            ops.machines().machineFor(Intent.DELETE)),
                    new ExecutionInput.Poll(pollInitialSeconds, pollMaxSeconds),
                    region,
                    accounts == null ? List.of() : accounts,
                    ReconcileSettings.OBSERVER_ROLE,
                    ReconcileSettings.ACCESS_ROLE,
                    stuckAfter,
                    orphanGrace,
                    null,
                    maxRepairs,
                    concurrency,
                    Duration.ofMinutes(10));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        AwsClients clients = ops.clients();
        Reconciler reconciler = new Reconciler(
                settings,
                clients.dynamoDb(),
                clients.sfn(),
                (roleArn, workloadRegionOfRole) -> clients.cloudFormationAs(roleArn, Region.of(workloadRegionOfRole)),
                Clock.systemUTC(),
                line -> {});
        boolean preview = dryRun || (deleteOrphans && !yes);
        ReconcileReport report = AwsCall.call(
                "reconcile", ops.table, () -> reconciler.run(new Reconciler.Options(preview, deleteOrphans)));
        print(report);
        boolean troubled = report.findings().stream()
                .anyMatch(f -> f.kind() == Finding.Kind.UNRESOLVED || f.action().startsWith("failed"));
        return troubled ? 1 : 0;
    }

    private void print(ReconcileReport report) {
        if (ops.json()) {
            Json.print(ops.out(), report.toMap());
        } else {
            TextTable table = new TextTable("KIND", "GAMESERVER_ID", "OWNER", "FOUND", "ACTION");
            for (Finding finding : report.findings()) {
                table.row(finding.kind(), finding.gameServerId(), finding.owner(), finding.detail(), finding.action());
            }
            table.print(ops.out());
            ops.out().flush();
        }
        ops.err().println(report.summary());
        long orphans = report.counts().get(Finding.Kind.ORPHAN.name());
        if (orphans > 0 && !(deleteOrphans && yes)) {
            ops.err()
                    .println(orphans + " orphan stack(s) " + (deleteOrphans ? "would be deleted" : "reported")
                            + "; delete them with --delete-orphans --yes");
        }
        ops.err().flush();
    }
}
