package dev.stackfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stackfleet.core.ConfigValidator;
import dev.stackfleet.core.DynamoDbGameServerStore;
import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.GameServerIds;
import dev.stackfleet.core.GameServerItem;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.OwnerClaim;
import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.core.TemplateParameters;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The API's rules: what a caller may ask for and how it becomes desired state in the table. It never
 * calls CloudFormation or Step Functions; the table's stream carries every change onwards.
 */
public final class GameServerService {

    /** How often a change is retried when a concurrent write to the same server wins. */
    private static final int CONFLICT_ATTEMPTS = 3;
    /** How many fresh ids a create tries when the generated one exists. */
    private static final int ID_ATTEMPTS = 3;
    /** How often a create places a server again when its account filled up (or closed) since the pool was read. */
    private static final int PLACEMENT_ATTEMPTS = 5;

    /** Longer than {@link Caller#MAX_LENGTH}: no request can act as this owner. */
    static final String PRIMING_OWNER = "snapstart-priming/" + "-".repeat(Caller.MAX_LENGTH);

    private final GameServerStore store;
    private final ConfigValidator validator;
    private final ApiConfig config;
    private final Clock clock;
    private final Supplier<String> ids;

    public GameServerService(
            GameServerStore store, ConfigValidator validator, ApiConfig config, Clock clock, Supplier<String> ids) {
        this.store = store;
        this.validator = validator;
        this.config = config;
        this.clock = clock;
        this.ids = ids;
    }

    /** The service on the table, validating against the game-server template shipped in the jar. */
    public static GameServerService standard(ApiConfig config, DynamoDbClient dynamoDb) {
        return new GameServerService(
                new DynamoDbGameServerStore(
                        dynamoDb,
                        config.tableName(),
                        config.quotaTableName(),
                        config.accountPoolTableName(),
                        config.releasesTableName()),
                new ConfigValidator(TemplateParameters.gameServer()),
                config,
                Clock.systemUTC(),
                GameServerIds::next);
    }

    /**
     * A new server for the caller, placed in the pool's open account with the most headroom and written together with
     * one of the caller's quota slots and one of the account's, so that both hold exactly however many creates race.
     * Nothing is written when the quota is full (403 {@code quota_exceeded}) or no account has room (503
     * {@code no_capacity}).
     */
    public GameServer create(Caller caller, JsonNode configRequest) {
        GameServerConfig valid = validator.validateNew(configRequest);
        String release = currentRelease();
        int takenIds = 0;
        int unavailableAccounts = 0;
        while (true) {
            PoolAccount account = PoolAccount.choose(store.accountPool()).orElseThrow(GameServerService::noCapacity);
            GameServer server = GameServer.requested(
                    caller.owner(),
                    caller.displayName(),
                    ids.get(),
                    valid,
                    config.placementIn(account),
                    release,
                    clock.instant());
            switch (store.create(server, config.maxServersPerOwner())) {
                case CREATED -> {
                    return server;
                }
                case QUOTA_EXCEEDED ->
                    throw new ApiException(
                            403,
                            "quota_exceeded",
                            "You already have as many game servers as allowed; the limit is "
                                    + config.maxServersPerOwner() + ". Delete one before creating another");
                case ACCOUNT_UNAVAILABLE -> {
                    // Another create took its last slot, or an operator closed it: place the server again.
                    if (++unavailableAccounts == PLACEMENT_ATTEMPTS) {
                        throw noCapacity();
                    }
                }
                case ID_TAKEN -> {
                    if (isOwnEarlierWrite(server)) {
                        return server;
                    }
                    // 100 random bits make this all but impossible; a generator that repeats itself is a bug.
                    if (++takenIds == ID_ATTEMPTS) {
                        throw new IllegalStateException(ID_ATTEMPTS + " generated game-server ids in a row exist");
                    }
                }
            }
        }
    }

    /** The release a new server gets; none published is {@code 503 no_release}. */
    private String currentRelease() {
        return store.currentRelease().orElseThrow(GameServerService::noRelease);
    }

    private static ApiException noRelease() {
        return new ApiException(
                503,
                "no_release",
                "No game servers can be created right now: no game-server template release is published yet. "
                        + "Try again later; nothing was created");
    }

    private static ApiException noCapacity() {
        return new ApiException(
                503,
                "no_capacity",
                "No game servers can be created right now: every workload account is full or closed to new servers. "
                        + "Try again later; nothing was created");
    }

    /** Whether the stored server with this id is this very create, written by an attempt whose answer was lost. */
    private boolean isOwnEarlierWrite(GameServer server) {
        return store.get(server.owner(), server.gameServerId())
                .filter(stored -> stored.createdAt().equals(server.createdAt())
                        && stored.config().equals(server.config()))
                .isPresent();
    }

    /** Which claims identify a caller. */
    OwnerClaim ownerClaim() {
        return config.ownerClaim();
    }

    /** The caller's server, or 404 (also for another user's server: its existence is not revealed). */
    public GameServer get(String owner, String gameServerId) {
        if (!GameServerIds.isWellFormed(gameServerId)) {
            throw ApiException.notFound(gameServerId);
        }
        return store.get(owner, gameServerId).orElseThrow(() -> ApiException.notFound(gameServerId));
    }

    /**
     * SnapStart priming: every table call the routes make, for an owner no caller can have (longer than any owner
     * the API accepts), so that the first request after a restore finds their classes loaded. Nothing is written:
     * the create stops at its quota read (a quota of none), the update and the delete are refused by their
     * conditions (the server does not exist).
     *
     * @param sampleConfig a valid config, as a request body carries it
     * @return the sample server the calls were made for, never stored
     */
    GameServer prime(JsonNode sampleConfig) {
        GameServerConfig valid = validator.validateNew(sampleConfig);
        GameServer sample = GameServer.requested(
                PRIMING_OWNER,
                PRIMING_OWNER,
                GameServerIds.next(),
                valid,
                config.placementIn(primingPlacement()),
                primingRelease(),
                clock.instant());
        GameServerConfig merged = validator.validateChange(valid, sampleConfig);
        if (!merged.equals(valid)) {
            throw new IllegalStateException("A change to the same values must merge to the same config");
        }
        // Each route's role allows its own calls only: the others are refused, which runs the same request path.
        List<Runnable> calls = List.of(
                () -> store.get(sample.owner(), sample.gameServerId()),
                () -> store.list(sample.owner(), 1, null),
                () -> store.create(sample, 0),
                () -> store.updateConfig(sample.withConfig(merged, clock.instant()), 0),
                () -> store.requestDelete(sample.owner(), sample.gameServerId(), clock.instant()));
        for (Runnable call : calls) {
            try {
                call.run();
            } catch (SdkException refused) {
                // primed all the same: the request was made and its refusal read
            }
        }
        // what a found item goes through on its way to the response
        GameServerItem.fromItem(GameServerItem.toItem(sample));
        return sample;
    }

    /**
     * Where the priming create would place its server, chosen as a create chooses; any account when this route may
     * not read the pool.
     */
    private PoolAccount primingPlacement() {
        PoolAccount anyAccount =
                new PoolAccount("000000000000", "us-east-1", 0, PoolAccount.State.DRAINING, 0, null, null);
        try {
            return PoolAccount.choose(store.accountPool()).orElse(anyAccount);
        } catch (SdkException refused) {
            return anyAccount;
        }
    }

    /** The release a create would read, read as a create reads it; any when there is none or it may not be read. */
    private String primingRelease() {
        try {
            return currentRelease();
        } catch (SdkException | ApiException unavailable) {
            return "000000000000";
        }
    }

    /** A page of the caller's servers. */
    public GameServerStore.Page list(String owner, int limit, String nextToken) {
        return store.list(owner, limit, nextToken);
    }

    /**
     * Merges a partial config change: the next generation and {@code UPDATE_PENDING}. A change that leaves
     * the config as it is writes nothing. 409 once deletion was requested.
     */
    public GameServer update(String owner, String gameServerId, JsonNode change) {
        for (int attempt = 1; ; attempt++) {
            GameServer current = get(owner, gameServerId);
            if (current.deleteRequested()) {
                throw deleting(gameServerId);
            }
            GameServerConfig merged = validator.validateChange(current.config(), change);
            if (merged.equals(current.config())) {
                return current;
            }
            GameServer updated = current.withConfig(
                    merged, current.release() != null ? current.release() : currentRelease(), clock.instant());
            if (store.updateConfig(updated, current.generation())) {
                return updated;
            }
            if (attempt == CONFLICT_ATTEMPTS) {
                throw new ApiException(
                        409,
                        "conflict",
                        "The game server is being changed by another request; read it again and retry");
            }
        }
    }

    /**
     * Requests deletion and frees the server's quota slot, and returns the server as it now stands; asking
     * again for a server already being deleted writes nothing.
     */
    public GameServer delete(String owner, String gameServerId) {
        GameServer current = get(owner, gameServerId);
        if (current.deleteRequested()) {
            return current;
        }
        // Empty when a concurrent request got there first (or removed the item): read what it left.
        return store.requestDelete(owner, gameServerId, clock.instant()).orElseGet(() -> get(owner, gameServerId));
    }

    private static ApiException deleting(String gameServerId) {
        return new ApiException(
                409,
                "deletion_in_progress",
                "Game server " + gameServerId + " is being deleted and can no longer be changed");
    }
}
