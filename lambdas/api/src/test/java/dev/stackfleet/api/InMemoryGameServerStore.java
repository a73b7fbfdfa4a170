package dev.stackfleet.api;

import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link GameServerStore} in memory with the same conditions as the tables, counting every write (a create or
 * a delete request writes a server and its quota slot together: one write).
 */
final class InMemoryGameServerStore implements GameServerStore {

    private final TreeMap<String, GameServer> items = new TreeMap<>();
    private final Map<String, Set<String>> quotaSlots = new HashMap<>();
    private int writes;

    int writes() {
        return writes;
    }

    /** Puts a server directly, as if an earlier request had written it; not counted as a write. */
    void seed(GameServer server) {
        items.put(key(server.username(), server.gameServerId()), server);
        if (!server.deleteRequested()) {
            slots(server.username()).add(server.gameServerId());
        }
    }

    /** The ids holding the owner's quota slots. */
    Set<String> quotaSlots(String username) {
        return Set.copyOf(slots(username));
    }

    /** Simulates a concurrent request that wins the race: the stored generation moves on. */
    void bumpGenerationBehindTheScenes(String username, String id) {
        GameServer current = items.get(key(username, id));
        items.put(key(username, id), current.withConfig(current.config(), current.updatedAt()));
    }

    @Override
    public CreateOutcome create(GameServer server, int maxServersPerOwner) {
        if (items.containsKey(key(server.username(), server.gameServerId()))) {
            return CreateOutcome.ID_TAKEN;
        }
        if (slots(server.username()).size() >= maxServersPerOwner) {
            return CreateOutcome.QUOTA_EXCEEDED;
        }
        items.put(key(server.username(), server.gameServerId()), server);
        slots(server.username()).add(server.gameServerId());
        writes++;
        return CreateOutcome.CREATED;
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
    public boolean requestDelete(String username, String gameServerId, Instant now) {
        GameServer current = items.get(key(username, gameServerId));
        if (current == null || current.deleteRequested()) {
            return false;
        }
        items.put(key(username, gameServerId), current.withDeleteRequested(now));
        slots(username).remove(gameServerId);
        writes++;
        return true;
    }

    private Set<String> slots(String username) {
        return quotaSlots.computeIfAbsent(username, owner -> new HashSet<>());
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
