package dev.stackfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.core.ConfigValidator;
import dev.stackfleet.core.DynamoDbGameServerStore;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.GameServerIds;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.TemplateParameters;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The API's rules: what a caller may ask for and how it becomes desired state in the table. It never
 * calls CloudFormation or Step Functions; the table's stream carries every change onwards.
 */
public final class GameServerService {

    /** How often a change is retried when a concurrent write to the same server wins. */
    private static final int CONFLICT_ATTEMPTS = 3;

    private final GameServerStore store;
    private final ConfigValidator validator;
    private final ApiConfig config;
    private final Clock clock;
    private final Supplier<String> ids;

    public GameServerService(GameServerStore store, ConfigValidator validator, ApiConfig config, Clock clock,
                             Supplier<String> ids) {
        this.store = store;
        this.validator = validator;
        this.config = config;
        this.clock = clock;
        this.ids = ids;
    }

    /** The service on the table, validating against the game-server template shipped in the jar. */
    public static GameServerService standard(ApiConfig config, DynamoDbClient dynamoDb) {
        return new GameServerService(new DynamoDbGameServerStore(dynamoDb, config.tableName()),
                new ConfigValidator(TemplateParameters.gameServer()), config, Clock.systemUTC(), GameServerIds::next);
    }

    /** A new server for the caller, within the caller's quota. */
    public GameServer create(String username, JsonNode configRequest) {
        GameServerConfig valid = validator.validateNew(configRequest);
        int live = store.countLive(username);
        if (live >= config.maxServersPerOwner()) {
            throw new ApiException(403, "quota_exceeded", "You have " + live + " game servers, the limit is "
                    + config.maxServersPerOwner() + "; delete one before creating another");
        }
        GameServer server = GameServer.requested(username, ids.get(), valid, config.placement(), clock.instant());
        store.create(server);
        return server;
    }

    /** The caller's server, or 404 (also for another user's server: its existence is not revealed). */
    public GameServer get(String username, String gameServerId) {
        if (!GameServerIds.isWellFormed(gameServerId)) {
            throw ApiException.notFound(gameServerId);
        }
        return store.get(username, gameServerId).orElseThrow(() -> ApiException.notFound(gameServerId));
    }

    /** A page of the caller's servers. */
    public GameServerStore.Page list(String username, int limit, String nextToken) {
        return store.list(username, limit, nextToken);
    }

    /**
     * Merges a partial config change: the next generation and {@code UPDATE_PENDING}. A change that leaves
     * the config as it is writes nothing. 409 once deletion was requested.
     */
    public GameServer update(String username, String gameServerId, JsonNode change) {
        for (int attempt = 1; ; attempt++) {
            GameServer current = get(username, gameServerId);
            if (current.deleteRequested()) {
                throw deleting(gameServerId);
            }
            GameServerConfig merged = validator.validateChange(current.config(), change);
            if (merged.equals(current.config())) {
                return current;
            }
            GameServer updated = current.withConfig(merged, clock.instant());
            if (store.updateConfig(updated, current.generation())) {
                return updated;
            }
            if (attempt == CONFLICT_ATTEMPTS) {
                throw new ApiException(409, "conflict",
                        "The game server is being changed by another request; read it again and retry");
            }
        }
    }

    /**
     * Requests deletion and returns the server as it now stands; asking again for a server already being
     * deleted writes nothing.
     */
    public GameServer delete(String username, String gameServerId) {
        GameServer current = get(username, gameServerId);
        if (current.deleteRequested()) {
            return current;
        }
        // Empty when a concurrent request got there first (or removed the item): read what it left.
        return store.requestDelete(username, gameServerId, clock.instant())
                .orElseGet(() -> get(username, gameServerId));
    }

    private static ApiException deleting(String gameServerId) {
        return new ApiException(409, "deletion_in_progress",
                "Game server " + gameServerId + " is being deleted and can no longer be changed");
    }
}
