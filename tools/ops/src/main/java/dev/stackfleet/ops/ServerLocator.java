package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.Intent;
import java.util.Optional;

/**
 * Finds a server's item from its id. The table is keyed by owner, and no index is keyed by id, so the owner
 * comes, cheapest first, from {@code --owner}, from the input of the server's {@code create-g1} execution
 * (every server has one, unless its INSERT never started a workflow), and only then from a filtered Scan
 * of the whole table.
 */
final class ServerLocator {

    private final GameServerTable table;
    private final ServerExecutions executions;

    ServerLocator(GameServerTable table, ServerExecutions executions) {
        this.table = table;
        this.executions = executions;
    }

    /**
     * Finds a server's item: by owner and id when the owner is given, else under the owner its create execution
     * names, else by scanning for the id.
     *
     * @param gameServerId the server
     * @param owner its owner if the operator knows it, else {@code null}
     * @return the item, or empty when the server has no item (never created, or deleted)
     */
    Optional<ServerView> find(String gameServerId, String owner) {
        if (owner != null) {
            return table.get(owner, gameServerId);
        }
        Optional<String> createdFor = executions
                .describe(ExecutionName.of(gameServerId, Intent.CREATE, 1))
                .map(e -> e.inputJson().path("owner").asText(null));
        if (createdFor.isPresent()) {
            return table.get(createdFor.get(), gameServerId);
        }
        return table.scanForId(gameServerId);
    }
}
