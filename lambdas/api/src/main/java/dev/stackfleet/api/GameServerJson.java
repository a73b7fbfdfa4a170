package dev.stackfleet.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.GameServer;

/**
 * A game server as a player sees it (snake_case, the table's attribute names): its own fields, where to
 * connect ({@link PlayerConnection}) and, for a {@code *_FAILED} status, a {@link PlayerReason}. Where it runs
 * (account, role), how (execution, stack) and the raw failure cause stay in the table, for operators and
 * their tools.
 */
final class GameServerJson {

    private GameServerJson() {}

    static ObjectNode of(GameServer server) {
        ObjectNode node = ApiJson.NODES.objectNode().put("gameserver_id", server.gameServerId());
        node.putObject("config")
                .put("difficulty", server.config().difficulty())
                .put("player_count", server.config().playerCount())
                .put("seed", server.config().seed());
        node.put("generation", server.generation())
                .put("status", server.status().name())
                .put("status_reason", PlayerReason.of(server.status()).orElse(null));
        if (server.observedGeneration() == null) {
            node.putNull("observed_generation");
        } else {
            node.put("observed_generation", server.observedGeneration());
        }
        PlayerConnection.of(server)
                .ifPresentOrElse(
                        connection -> node.putObject("connection")
                                .put("address", connection.address())
                                .put("port", connection.port())
                                .put("protocol", connection.protocol()),
                        () -> node.putNull("connection"));
        return node.put("delete_requested", server.deleteRequested())
                .put("created_at", server.createdAt().toString())
                .put("updated_at", server.updatedAt().toString());
    }
}
