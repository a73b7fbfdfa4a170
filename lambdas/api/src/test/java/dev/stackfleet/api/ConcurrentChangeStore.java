package dev.stackfleet.api;

import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.PoolAccount;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store on which another request changes the server's difficulty between the service's read and its write, the
 * first {@code races} times the service writes a config: the race a concurrent PATCH wins, through the same store.
 * The other request sets "hard", then "normal", then "peaceful", each at the next generation.
 */
final class ConcurrentChangeStore implements GameServerStore {

    private static final String[] DIFFICULTIES = {"hard", "normal", "peaceful"};

    private final GameServerStore store;
    private int racesLeft;
    private int attempts;
    private int won;

    ConcurrentChangeStore(GameServerStore store, int races) {
        this.store = store;
        this.racesLeft = races;
    }

    /** How often the service tried to write a config. */
    int attempts() {
        return attempts;
    }

    @Override
    public boolean updateConfig(GameServer updated, long expectedGeneration) {
        attempts++;
        if (racesLeft > 0) {
            racesLeft--;
            GameServer current =
                    store.get(updated.owner(), updated.gameServerId()).orElseThrow();
            GameServerConfig theirs = new GameServerConfig(
                    DIFFICULTIES[won % DIFFICULTIES.length],
                    current.config().playerCount(),
                    current.config().seed());
            if (!store.updateConfig(current.withConfig(theirs, current.updatedAt()), current.generation())) {
                throw new IllegalStateException("the concurrent change did not win");
            }
            won++;
        }
        return store.updateConfig(updated, expectedGeneration);
    }

    @Override
    public CreateOutcome create(GameServer server, int maxServersPerOwner) {
        return store.create(server, maxServersPerOwner);
    }

    @Override
    public Optional<String> currentRelease() {
        return store.currentRelease();
    }

    @Override
    public List<PoolAccount> accountPool() {
        return store.accountPool();
    }

    @Override
    public Optional<GameServer> get(String owner, String gameServerId) {
        return store.get(owner, gameServerId);
    }

    @Override
    public Page list(String owner, int limit, String nextToken) {
        return store.list(owner, limit, nextToken);
    }

    @Override
    public Optional<GameServer> requestDelete(String owner, String gameServerId, Instant now) {
        return store.requestDelete(owner, gameServerId, now);
    }
}
