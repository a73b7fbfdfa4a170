package dev.stackfleet.ops;

import dev.stackfleet.core.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ops servers}: the fleet from the table, the most recently changed first, with status, desired
 * generation against the generation the stack last converged to, desired template release against the one it runs,
 * and the age of the last change.
 */
@Command(name = "servers", description = "List game servers from the table, most recently changed first.")
final class ServersCommand implements Callable<Integer> {

    /** The statuses of servers whose last workflow failed. */
    static final List<String> FAILED_STATUSES = Arrays.stream(Status.values())
            .map(Status::name)
            .filter(name -> name.endsWith("_FAILED"))
            .toList();

    @ParentCommand
    OpsMain ops;

    @Option(
            names = "--status",
            split = ",",
            paramLabel = "STATUS",
            description = "Only these statuses (comma-separated), e.g. UPDATE_FAILED; uses the by-status index.")
    List<Status> statuses = new ArrayList<>();

    @Option(names = "--failed", description = "Only CREATE_FAILED, UPDATE_FAILED and DELETE_FAILED servers.")
    boolean failed;

    @Option(names = "--owner", paramLabel = "OWNER", description = "Only this owner's servers (a Query).")
    String owner;

    @Option(
            names = "--by-account",
            description = "Group by workload account, each with its count (see ops accounts for capacity).")
    boolean byAccount;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = Since.class,
            description = "Only servers changed since TIME: an age (30m, 2h, 1d) or ISO-8601.")
    Instant since;

    @Override
    public Integer call() {
        List<String> wanted =
                new ArrayList<>(statuses.stream().map(Status::name).toList());
        if (failed) {
            wanted.addAll(FAILED_STATUSES);
        }
        List<ServerView> servers = ops.table()
                .list(new GameServerTable.Filter(wanted.stream().distinct().toList(), owner, since));
        if (ops.json()) {
            Json.print(ops.out(), servers);
            return 0;
        }
        Map<String, String> quarantines = quarantines();
        if (byAccount) {
            Map<String, List<ServerView>> groups = new TreeMap<>();
            servers.forEach(
                    s -> groups.computeIfAbsent(String.valueOf(s.placement().accountId()), a -> new ArrayList<>())
                            .add(s));
            groups.forEach((account, group) -> {
                String quarantine =
                        quarantines.containsKey(account) ? " (quarantined: " + quarantines.get(account) + ")" : "";
                ops.out().println("account " + account + quarantine + ": " + group.size() + " servers");
                print(group, quarantines);
                ops.out().println();
            });
        } else {
            print(servers, quarantines);
        }
        ops.err().println(servers.size() + " servers");
        return 0;
    }

    /** The quarantined accounts and why; none, with a note, when the account pool cannot be read. */
    private Map<String, String> quarantines() {
        try {
            return AwsCall.call(
                    "dynamodb:Scan",
                    ops.accountPoolTable,
                    () -> ops.accountPool().quarantines());
        } catch (OpsException e) {
            ops.err().println("note: quarantines not shown: " + e.getMessage());
            return Map.of();
        }
    }

    private void print(List<ServerView> servers, Map<String, String> quarantines) {
        Instant now = Instant.now();
        TextTable table = new TextTable(
                "OWNER", "GAMESERVER_ID", "ACCOUNT", "STATUS", "GEN/OBSERVED", "RELEASE/OBSERVED", "CHANGED", "REASON");
        for (ServerView s : servers) {
            table.row(
                    s.owner(),
                    s.gameServerId(),
                    quarantines.containsKey(s.placement().accountId())
                            ? s.placement().accountId() + " (quarantined)"
                            : s.placement().accountId(),
                    s.paused() ? s.status() + " (paused)" : s.status(),
                    generations(s),
                    releases(s),
                    Formats.age(s.updatedAt(), now),
                    Formats.abbreviate(s.paused() ? "paused: " + s.pauseReason() : s.statusReason(), 80));
        }
        table.print(ops.out());
    }

    /** {@code R/R} when the stack runs the release it should, {@code R2/R1 *} while it lags. */
    static String releases(ServerView s) {
        return dash(s.release()) + "/" + dash(s.observedRelease()) + (s.releaseLags() ? " *" : "");
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    /** {@code 3/3} when converged, {@code 3/2 *} when the stack lags the desired generation. */
    static String generations(ServerView s) {
        String observed =
                s.observedGeneration() == null ? "-" : s.observedGeneration().toString();
        boolean lagging = s.observedGeneration() == null || s.observedGeneration() < s.generation();
        return s.generation() + "/" + observed + (lagging ? " *" : "");
    }
}
