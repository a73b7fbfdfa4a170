package dev.stackfleet.ops;

import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ops pause}: holds one server still. Reconcile passes and fleet operations skip it until {@code ops resume};
 * its owner's own requests still go through, and {@code ops servers} shows it paused with the reason.
 */
@Command(
        name = "pause",
        description = "Pause a server: reconcile passes and fleet operations leave it alone until it is resumed.")
final class PauseCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Parameters(index = "0", paramLabel = "GAMESERVER_ID", description = "The server to pause.")
    String gameServerId;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for whoever looks next.")
    String reason;

    @Option(names = "--owner", paramLabel = "OWNER", description = "The server's owner, if known (saves a lookup).")
    String owner;

    @Override
    public Integer call() {
        ServerView server = ops.locator()
                .find(gameServerId, owner)
                .orElseThrow(() -> new OpsException("no game server " + gameServerId + " in table " + ops.table));
        if (reason.isBlank()) {
            throw new OpsException("--reason must say why the server is paused");
        }
        if (!ops.table().pause(server, reason.strip(), Instant.now())) {
            throw new OpsException(gameServerId + " was deleted meanwhile: nothing to pause");
        }
        ops.out()
                .println("paused " + gameServerId + " (" + server.status() + "): " + reason.strip()
                        + "; undo with ./stackfleet ops resume " + gameServerId);
        return 0;
    }
}
