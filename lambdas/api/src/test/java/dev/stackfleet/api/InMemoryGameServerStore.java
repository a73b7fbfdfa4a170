package dev.stackfleet.api;

import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.InvalidRequestException;
import dev.stackfleet.core.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link GameServerStore} in memory with the same conditions as the table, counting every write. */
final class InMemoryGameServerStore implements GameServerStore {

    private final TreeMap<String, GameServer> items = new TreeMap<>();
    private int writes;

    int writes() {
        return writes;
    }

    /** Puts a server directly, as if an earlier request had written it; not counted as a write. */
    void seed(GameServer server) {
        items.put(key(server.username(), server.gameServerId()), server);
    }

    /** Simulates a concurrent request that wins the race: the stored generation moves on. */
    void bumpGenerationBehindTheScenes(String username, String id) {
        GameServer current = items.get(key(username, id));
        items.put(key(username, id), current.withConfig(current.config(), current.updatedAt()));
    }

    @Override
    public void create(GameServer server) {
        if (items.putIfAbsent(key(server.username(), server.gameServerId()), server) != null) {
            throw new IllegalStateException("id exists");
        }
        writes++;
    }

    @Override
    public Optional<GameServer> get(String username, String gameServerId) {
        return Optional.ofNullable(items.get(key(username, gameServerId)));
    }

    @Override
    public Page list(String username, int limit, String nextToken) {
        String after = nextToken == null ? username + "/" : decode(username, nextToken);
        List<GameServer> page = new ArrayList<>();
        for (var entry : items.tailMap(after, nextToken == null).entrySet()) {
            if (!entry.getKey().startsWith(username + "/")) {
                break;
            }
            if (page.size() == limit) {
                return new Page(page, "t:" + key(username, page.get(limit - 1).gameServerId()));
            }
            page.add(entry.getValue());
        }
        return new Page(page, null);
    }

    @Override
    public int countLive(String username) {
        return (int) items.values().stream()
                .filter(s -> s.username().equals(username) && !s.deleteRequested()).count();
    }

    @Override
    public boolean updateConfig(GameServer updated, long expectedGeneration) {
        GameServer current = items.get(key(updated.username(), updated.gameServerId()));
        if (current == null || current.generation() != expectedGeneration || current.deleteRequested()) {
            return false;
        }
        items.put(key(updated.username(), updated.gameServerId()), updated);
        writes++;
        return true;
    }

    @Override
    public Optional<GameServer> requestDelete(String username, String gameServerId, Instant now) {
        GameServer s = items.get(key(username, gameServerId));
        if (s == null || s.deleteRequested()) {
            return Optional.empty();
        }
        GameServer written = new GameServer(s.username(), s.gameServerId(), s.config(), s.generation(), true,
                s.placement(), s.stackName(), Status.DELETE_PENDING, null, s.observedGeneration(), s.executionArn(),
                s.stackId(), s.createdAt(), now);
        items.put(key(username, gameServerId), written);
        writes++;
        return Optional.of(written);
    }

    private static String key(String username, String id) {
        return username + "/" + id;
    }

    private static String decode(String username, String token) {
        if (!token.startsWith("t:" + username + "/")) {
            throw new InvalidRequestException("invalid_next_token", "next_token is not one this API issued");
        }
        return token.substring(2);
    }
}
