package dev.stackfleet.ops;

import dev.stackfleet.core.Intent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input of a workflow execution, built from a server's item in the shape the stream Lambda starts
 * executions with (contracts, "Executions"): intent, owner, id, generation, stack name, config, placement and
 * the poll intervals.
 */
final class ExecutionInput {

    private ExecutionInput() {
    }

    /**
     * @param server the item
     * @param intent the intent the execution carries out
     * @param pollInitialSeconds the first poll interval
     * @param pollMaxSeconds the cap of the growing poll interval
     */
    static Map<String, Object> of(GameServer server, Intent intent, int pollInitialSeconds, int pollMaxSeconds) {
        Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("account_id", server.placement().accountId());
        placement.put("region", server.placement().region());
        placement.put("role_arn", server.placement().roleArn());
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("intent", intent.word());
        input.put("username", server.username());
        input.put("gameserver_id", server.gameServerId());
        input.put("generation", server.generation());
        input.put("stack_name", server.stackName());
        input.put("config", server.config());
        input.put("placement", placement);
        Map<String, Object> poll = new LinkedHashMap<>();
        poll.put("initial_seconds", pollInitialSeconds);
        poll.put("max_seconds", pollMaxSeconds);
        input.put("poll", poll);
        return input;
    }

    /**
     * The intent the server's item asks for now, as the stream Lambda derived it: delete once deletion was
     * requested, create at generation 1, update after that.
     */
    static Intent currentIntent(GameServer server) {
        if (server.deleteRequested()) {
            return Intent.DELETE;
        }
        return server.generation() <= 1 ? Intent.CREATE : Intent.UPDATE;
    }
}
