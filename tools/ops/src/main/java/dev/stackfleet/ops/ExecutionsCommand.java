package dev.stackfleet.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ops executions <gameserver_id>}: every workflow execution of one server, newest first, found by
 * deterministic name (see {@link ServerExecutions}); the server's item gives the generation to look up to.
 */
@Command(name = "executions", description = "List every workflow execution of one game server, newest first.")
final class ExecutionsCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Parameters(paramLabel = "GAMESERVER_ID", description = "The server, e.g. gs-0123456789abcdefghij.")
    String gameServerId;

    @Option(names = "--owner", paramLabel = "OWNER", description = "The server's owner, if known: saves looking it up.")
    String owner;

    @Override
    public Integer call() {
        Optional<ServerView> server = ops.locator().find(gameServerId, owner);
        if (server.isEmpty()) {
            ops.err()
                    .println("note: " + gameServerId + " has no item (deleted, or never created);"
                            + " generations are probed until one has no execution");
        }
        List<Execution> executions = ops.executions()
                .of(
                        gameServerId,
                        server.map(s -> OptionalLong.of(s.generation())).orElse(OptionalLong.empty()));
        if (ops.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("server", server.orElse(null));
            result.put("executions", executions);
            Json.print(ops.out(), result);
        } else {
            server.ifPresent(s -> ops.out()
                    .println(s.gameServerId() + "  owner " + s.owner() + "  status " + s.status() + "  generation "
                            + ServersCommand.generations(s)));
            Instant now = Instant.now();
            TextTable table = new TextTable("EXECUTION", "STATUS", "STARTED", "DURATION", "REDRIVES", "ERROR");
            for (Execution e : executions) {
                table.row(
                        e.name(),
                        e.status(),
                        e.startDate(),
                        Formats.duration(e.duration(now)),
                        e.redriveCount(),
                        e.error());
            }
            table.print(ops.out());
        }
        if (executions.isEmpty()) {
            ops.err()
                    .println("no executions found for " + gameServerId
                            + ": check the id and the state machine ARNs (--provision-state-machine)");
            return 1;
        }
        return 0;
    }
}
