package dev.stackfleet.ops;

import dev.stackfleet.core.AccountPoolTable;
import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.core.Release;
import dev.stackfleet.core.ReleaseTable;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * {@code ./stackfleet ops}: the operator command line. It answers "what is failing, why, and how do I fix
 * it" across all tenants and workload accounts from the control plane's table and workflows, and reads the
 * workload accounts' stacks by assuming a read-only role there ({@code history}).
 *
 * <p>The options here apply to every subcommand and may be given before or after its name. Exit status:
 * 0 on success, 1 when the operation failed (the message says what to do), 2 for a usage error.
 */
@Command(
        name = "ops",
        description = "Operate stackfleet: fleet status, execution histories, redrive, replay, reconcile, pause,"
                + " quarantine, template releases and rollouts, and a browser console.",
        subcommands = {
            ServersCommand.class,
            ExecutionsCommand.class,
            HistoryCommand.class,
            RedriveCommand.class,
            ReplayCommand.class,
            ReconcileCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            AccountsCommand.class,
            QuarantineCommand.class,
            UnquarantineCommand.class,
            ConsoleUrlCommand.class,
            ReleaseCommand.class,
            RolloutCommand.class,
            ConsoleCommand.class
        })
public final class OpsMain {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            scope = ScopeType.INHERIT,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--endpoint-url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = "One endpoint for every AWS service (local mode: the emulator). "
                    + "Default: the SDK's AWS_ENDPOINT_URL, else AWS itself.")
    URI endpointUrl;

    @Option(
            names = "--region",
            scope = ScopeType.INHERIT,
            paramLabel = "REGION",
            description = "The control plane's region. Default: AWS_REGION / the profile's region.")
    String region;

    @Option(
            names = "--table",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            defaultValue = "${env:STACKFLEET_TABLE:-gameservers}",
            description = "The game server table (env STACKFLEET_TABLE). Default: ${DEFAULT-VALUE}.")
    String table;

    @Option(
            names = "--account-pool-table",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            defaultValue = "${env:STACKFLEET_ACCOUNT_POOL_TABLE:-workload-accounts}",
            description = "The account pool table (env STACKFLEET_ACCOUNT_POOL_TABLE; the control plane stack's output"
                    + " AccountPoolTableName). Default: ${DEFAULT-VALUE}.")
    String accountPoolTable;

    @Option(
            names = "--emulator-account",
            scope = ScopeType.INHERIT,
            paramLabel = "ACCOUNT",
            defaultValue = "${env:STACKFLEET_EMULATOR_ACCOUNT}",
            description = "Local mode only (env STACKFLEET_EMULATOR_ACCOUNT): the emulator runs every workflow task"
                    + " in this account, so every workload account's stacks are read there.")
    String emulatorAccount;

    @Option(
            names = "--provision-state-machine",
            scope = ScopeType.INHERIT,
            paramLabel = "ARN",
            defaultValue = "${env:PROVISION_STATE_MACHINE_ARN}",
            description = "The provision state machine (env PROVISION_STATE_MACHINE_ARN).")
    String provisionArn;

    @Option(
            names = "--deprovision-state-machine",
            scope = ScopeType.INHERIT,
            paramLabel = "ARN",
            defaultValue = "${env:DEPROVISION_STATE_MACHINE_ARN}",
            description = "The deprovision state machine (env DEPROVISION_STATE_MACHINE_ARN).")
    String deprovisionArn;

    @Option(
            names = "--releases-table",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            defaultValue = "${env:STACKFLEET_RELEASES_TABLE:-stackfleet-releases}",
            description = "The releases table (env STACKFLEET_RELEASES_TABLE; the control plane stack's output"
                    + " ReleasesTableName). Default: ${DEFAULT-VALUE}.")
    String releasesTable;

    @Option(
            names = "--template-bucket",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            defaultValue = "${env:STACKFLEET_TEMPLATE_BUCKET:-stackfleet-templates}",
            description = "The bucket of the template releases (env STACKFLEET_TEMPLATE_BUCKET; the output"
                    + " GameServerTemplateBucket). Default: ${DEFAULT-VALUE}.")
    String templateBucket;

    @Option(
            names = "--rollout-state-machine",
            scope = ScopeType.INHERIT,
            paramLabel = "ARN",
            defaultValue = "${env:ROLLOUT_STATE_MACHINE_ARN}",
            description =
                    "The rollout state machine (env ROLLOUT_STATE_MACHINE_ARN; the output RolloutStateMachineArn).")
    String rolloutArn;

    @Option(
            names = "--cfn-lint",
            scope = ScopeType.INHERIT,
            paramLabel = "PATH",
            defaultValue = "${env:STACKFLEET_CFN_LINT:-cfn-lint}",
            description = "The cfn-lint that ops release publish checks templates with (env STACKFLEET_CFN_LINT)."
                    + " Default: ${DEFAULT-VALUE}.")
    String cfnLint;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of tables.")
    boolean json;

    private AwsClients clients;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, System.out.charset());
        PrintWriter err = new PrintWriter(System.err, true, System.err.charset());
        System.exit(run(out, err, args));
    }

    /**
     * Runs one command line with the given streams and returns its exit status.
     *
     * @param out standard output: tables or JSON
     * @param err standard error: progress, notes, errors
     * @param args the arguments after {@code ops}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        OpsMain ops = new OpsMain();
        CommandLine commandLine = new CommandLine(ops)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (e instanceof OpsException) {
                        cl.getErr().println("error: " + e.getMessage());
                        cl.getErr().flush();
                        return 1;
                    }
                    throw e;
                });
        try {
            return commandLine.execute(args);
        } finally {
            if (ops.clients != null) {
                ops.clients.close();
            }
        }
    }

    /** The AWS clients of this run, built on first use. */
    synchronized AwsClients clients() {
        if (clients == null) {
            clients = new AwsClients(endpointUrl, region == null ? null : Region.of(region), emulatorAccount);
        }
        return clients;
    }

    /** The game server table. */
    GameServerTable table() {
        return new GameServerTable(clients().dynamoDb(), table, err());
    }

    /** The account pool. */
    AccountPoolTable accountPool() {
        return new AccountPoolTable(clients().dynamoDb(), accountPoolTable);
    }

    /** The template releases and the current one. */
    ReleaseTable releases() {
        return new ReleaseTable(clients().dynamoDb(), releasesTable);
    }

    /** A published release's version, or the current one's for {@code current}; empty when there is none. */
    Optional<String> releaseVersion(String versionOrCurrent) {
        ReleaseTable releases = releases();
        return "current".equals(versionOrCurrent)
                ? AwsCall.call("dynamodb:GetItem", releasesTable, releases::current)
                        .map(ReleaseTable.Current::version)
                : AwsCall.call("dynamodb:GetItem", releasesTable, () -> releases.get(versionOrCurrent))
                        .map(Release::version);
    }

    /** The rollouts, their waves and the fleet's rollout lock. */
    RolloutTable rollouts() {
        return new RolloutTable(clients().dynamoDb(), releasesTable);
    }

    /** The workload accounts of the pool by id: a Scan of the account pool table, one small item per account. */
    List<PoolAccount> poolAccounts() {
        return AwsCall.call(
                        "dynamodb:Scan", accountPoolTable, () -> accountPool().accounts())
                .stream()
                .sorted(Comparator.comparing(PoolAccount::accountId))
                .toList();
    }

    /** The configured workflows. */
    StateMachines machines() {
        return new StateMachines(provisionArn, deprovisionArn);
    }

    /** Executions by deterministic name. */
    ServerExecutions executions() {
        return new ServerExecutions(clients().sfn(), machines(), err());
    }

    /** Finds items by server id. */
    ServerLocator locator() {
        return new ServerLocator(table(), executions());
    }

    /** Whether to print JSON. */
    boolean json() {
        return json;
    }

    /** Standard output. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
