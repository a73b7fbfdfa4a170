package dev.stackfleet.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops resume}: ends a server's pause; the next reconcile pass judges it again. */
@Command(name = "resume", description = "Resume a paused server: reconcile passes and fleet operations see it again.")
final class ResumeCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Parameters(index = "0", paramLabel = "GAMESERVER_ID", description = "The server to resume.")
    String gameServerId;

    @Option(names = "--owner", paramLabel = "OWNER", description = "The server's owner, if known (saves a lookup).")
    String owner;

    @Override
    public Integer call() {
        ServerView server = ops.locator()
                .find(gameServerId, owner)
                .orElseThrow(() -> new OpsException("no game server " + gameServerId + " in table " + ops.table));
        if (!server.paused()) {
            ops.out().println(gameServerId + " is not paused: nothing to do");
            return 0;
        }
        if (!ops.table().resume(server)) {
            throw new OpsException(gameServerId + " was deleted meanwhile: nothing to resume");
        }
        ops.out()
                .println("resumed " + gameServerId + " (" + server.status() + "), paused since " + server.pausedAt()
                        + " for: " + server.pauseReason());
        return 0;
    }
}
