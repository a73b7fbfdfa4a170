package dev.stackfleet.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.GameServer;

/** A game server as the API shows it (snake_case, the table's attribute names). */
final class GameServerJson {

    private GameServerJson() {
    }

    static ObjectNode of(ObjectMapper json, GameServer server) {
        ObjectNode node = json.createObjectNode()
                .put("gameserver_id", server.gameServerId())
                .put("username", server.username());
        node.putObject("config")
                .put("difficulty", server.config().difficulty())
                .put("player_count", server.config().playerCount())
                .put("seed", server.config().seed());
        node.put("generation", server.generation())
                .put("status", server.status().name())
                .put("status_reason", server.statusReason());
        if (server.observedGeneration() == null) {
            node.putNull("observed_generation");
        } else {
            node.put("observed_generation", server.observedGeneration());
        }
        node.put("delete_requested", server.deleteRequested())
                .put("execution_arn", server.executionArn())
                .put("stack_name", server.stackName())
                .put("stack_id", server.stackId());
        node.putObject("placement")
                .put("account_id", server.placement().accountId())
                .put("region", server.placement().region())
                .put("role_arn", server.placement().roleArn());
        return node.put("created_at", server.createdAt().toString())
                .put("updated_at", server.updatedAt().toString());
    }
}
