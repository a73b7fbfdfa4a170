package dev.stackfleet.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ops replay <gameserver_id>} and {@code ops replay --failed [--since T] [--yes]}: starts a fresh
 * execution of a server's current intent. Replay is the fix for a failure the workflow recorded
 * ({@code *_FAILED} on the item, the execution ended at its Fail state, see {@link FailStateEnd}), which
 * redrive cannot help, and for an execution that cannot be redriven (older than Step Functions' redrive
 * window, superseded, or a stream record that never started one).
 *
 * <p>The name is the intent's with the next free replay counter ({@code -r<n>}), or the intent's own name when
 * it never ran (so a late start by the stream adds nothing), so a replay is as idempotent
 * as the original: starting the same replay twice fails instead of running twice. The input is built from the
 * item as the stream Lambda builds it. A server with a running execution of that intent is not replayed. The
 * bulk form replays every {@code *_FAILED} server (the {@code by-status} index) the same way: a dry run unless
 * {@code --yes}, with bounded concurrency and a summary.
 *
 * <p>A create or update that failed on a bad release fails the same way when replayed, since the replay converges
 * to the item's release. {@code --release VERSION} (or {@code current}) points each such server at another
 * release first, with a write conditional on its generation and status (no new generation, so the stream starts
 * nothing), and replays on it. Deletes run no release and replay as they are.
 */
@Command(
        name = "replay",
        description = "Start a fresh execution for a server's current intent (name suffix -r<n>),"
                + " or for every *_FAILED server (--failed).")
final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "GAMESERVER_ID", description = "The server to replay.")
    String gameServerId;

    @Option(names = "--owner", paramLabel = "OWNER", description = "The server's owner, if known: saves looking it up.")
    String owner;

    @Option(names = "--failed", description = "Replay every CREATE_FAILED, UPDATE_FAILED and DELETE_FAILED server.")
    boolean failed;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = Since.class,
            description = "With --failed: only servers that failed since TIME (30m, 2h, 1d or ISO-8601).")
    Instant since;

    @Option(names = "--yes", description = "With --failed: act; without it the bulk form only shows its plan.")
    boolean yes;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "4",
            description = "With --failed: servers checked and replayed at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(
            names = "--release",
            paramLabel = "VERSION",
            description = "Replay creates and updates on this release ('current' for the current one), pointing"
                    + " each server at it first: for servers that failed on a bad release. Deletes replay as they are.")
    String release;

    @Mixin
    PollOptions pollOptions;

    /** The release the replays converge to, resolved once, or {@code null} for each item's own. */
    private String targetRelease;

    @Option(names = "--dry-run", description = "Print the execution that would start, and start nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if ((gameServerId == null) == !failed) {
            throw new ParameterException(spec.commandLine(), "give either a GAMESERVER_ID or --failed");
        }
        targetRelease = release == null ? null : resolveRelease();
        return failed ? replayFailedServers() : replayOne();
    }

    private String resolveRelease() {
        return ops.releaseVersion(release)
                .orElseThrow(() -> new OpsException(
                        "current".equals(release)
                                ? "there is no current release: publish one (./stackfleet ops release publish FILE)"
                                : "no release " + release + ": see ./stackfleet ops release list"));
    }

    private int replayOne() {
        ServerView server = ops.locator()
                .find(gameServerId, owner)
                .orElseThrow(() -> new OpsException("no item for " + gameServerId
                        + ": a replay is built from the item; for a deleted item, redrive"
                        + " its failed delete execution instead (./stackfleet ops executions " + gameServerId + ")"));
        Replays.Replay replay = next(server);
        if (!dryRun) {
            start(replay);
        }
        if (ops.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("started", !dryRun);
            result.put("executionArn", replay.executionArn());
            result.put("release", replay.release());
            result.put("previousRelease", replay.retargets() ? server.release() : null);
            result.put("input", Json.parse(replay.input(), "the replay input"));
            Json.print(ops.out(), result);
        } else {
            ops.out().println((dryRun ? "would start  " : "started  ") + replay.executionArn());
            if (replay.retargets()) {
                ops.out().println("release  " + server.release() + " -> " + replay.release());
            }
            ops.out().println("input    " + replay.input());
            if (!dryRun) {
                ops.out().println("follow   ./stackfleet ops history " + replay.executionArn());
            }
            ops.out().flush();
        }
        return 0;
    }

    private int replayFailedServers() {
        List<ServerView> servers =
                ops.table().list(new GameServerTable.Filter(ServersCommand.FAILED_STATUSES, null, since));
        Progress progress = new Progress(ops.err(), yes ? "replaying" : "checking");
        Set<String> quarantined = AwsCall.call(
                        "dynamodb:Scan",
                        ops.accountPoolTable,
                        () -> ops.accountPool().quarantines())
                .keySet();
        List<Bulk.Result> results = Bulk.run(
                servers,
                concurrency,
                progress,
                "servers",
                server -> Optional.of(held(server, quarantined).orElseGet(() -> planOrReplay(server))));
        Bulk.print(ops, results);
        long failures = Bulk.count(results, "failed");
        ops.err()
                .println(
                        yes
                                ? Bulk.count(results, "started") + " started, " + Bulk.count(results, "skipped")
                                        + " skipped, " + failures + " failed"
                                : "dry run: " + Bulk.count(results, "would-start") + " would be started, "
                                        + Bulk.count(results, "skipped") + " skipped; run again with --yes to replay");
        return failures == 0 ? 0 : 1;
    }

    /** A fleet operation leaves a paused server, and the servers of a quarantined account, alone. */
    private static Optional<Bulk.Result> held(ServerView server, Set<String> quarantinedAccounts) {
        if (server.paused()) {
            return Optional.of(
                    new Bulk.Result(server.gameServerId(), null, "skipped", "paused: " + server.pauseReason()));
        }
        if (quarantinedAccounts.contains(server.placement().accountId())) {
            return Optional.of(new Bulk.Result(
                    server.gameServerId(),
                    null,
                    "skipped",
                    "account " + server.placement().accountId() + " is quarantined"));
        }
        return Optional.empty();
    }

    private Bulk.Result planOrReplay(ServerView server) {
        String id = server.gameServerId();
        Replays.Replay replay;
        try {
            replay = next(server);
        } catch (OpsException e) {
            return new Bulk.Result(id, null, "skipped", e.getMessage());
        }
        String detail = server.status() + " " + replay.name().intent().word() + " generation "
                + replay.name().generation()
                + (replay.retargets() ? " on release " + replay.release() + " (was " + server.release() + ")" : "");
        if (!yes) {
            return new Bulk.Result(id, replay.executionArn(), "would-start", detail);
        }
        try {
            start(replay);
            return new Bulk.Result(id, replay.executionArn(), "started", detail);
        } catch (OpsException e) {
            return new Bulk.Result(id, replay.executionArn(), "failed", e.getMessage());
        }
    }

    private Replays.Replay next(ServerView server) {
        return replays().next(server, pollOptions.poll(), targetRelease);
    }

    private void start(Replays.Replay replay) {
        replays().start(replay);
    }

    private Replays replays() {
        return new Replays(ops.clients().sfn(), ops.machines(), ops.executions(), ops.table());
    }
}
