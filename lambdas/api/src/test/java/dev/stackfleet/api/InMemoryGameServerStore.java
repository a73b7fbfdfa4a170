package dev.stackfleet.api;

import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.InvalidRequestException;
import dev.stackfleet.core.Status;
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
 * a delete request, with its quota slot, counts as one).
 */
final class InMemoryGameServerStore implements GameServerStore {

    private final TreeMap<String, GameServer> items = new TreeMap<>();
    private final Map<String, Set<String>> quotaSlots = new HashMap<>();
    private int writes;
    private boolean nextCreateAnsweredAsARetry;

    int writes() {
        return writes;
    }

    /** Everything stored, servers and quota slots, as values: two snapshots are equal when nothing changed. */
    Map<String, Object> snapshot() {
        Map<String, Set<String>> slots = new TreeMap<>();
        quotaSlots.forEach((owner, ids) -> slots.put(owner, Set.copyOf(ids)));
        return Map.of("servers", Map.copyOf(items), "quota", Map.copyOf(slots));
    }

    /** Every stored server. */
    List<GameServer> all() {
        return List.copyOf(items.values());
    }

    /** Puts a server directly, as if an earlier request had written it; not counted as a write. */
    void seed(GameServer server) {
        items.put(key(server.owner(), server.gameServerId()), server);
        if (!server.deleteRequested()) {
            slots(server.owner()).add(server.gameServerId());
        }
    }

    /**
     * The next create is written, then answered as its retry would be after a lost answer: the id is taken
     * (and the quota, if now full, too).
     */
    void answerNextCreateAsARetry() {
        nextCreateAnsweredAsARetry = true;
    }

    /** The ids holding the owner's quota slots. */
    Set<String> quotaSlots(String owner) {
        return Set.copyOf(slots(owner));
    }

    /** Simulates a concurrent request that wins the race: the stored generation moves on. */
    void bumpGenerationBehindTheScenes(String owner, String id) {
        GameServer current = items.get(key(owner, id));
        items.put(key(owner, id), current.withConfig(current.config(), current.updatedAt()));
    }

    @Override
    public CreateOutcome create(GameServer server, int maxServersPerOwner) {
        if (items.containsKey(key(server.owner(), server.gameServerId()))) {
            return CreateOutcome.ID_TAKEN;
        }
        if (slots(server.owner()).size() >= maxServersPerOwner) {
            return CreateOutcome.QUOTA_EXCEEDED;
        }
        items.put(key(server.owner(), server.gameServerId()), server);
        slots(server.owner()).add(server.gameServerId());
        writes++;
        if (nextCreateAnsweredAsARetry) {
            nextCreateAnsweredAsARetry = false;
            return CreateOutcome.ID_TAKEN;
        }
        return CreateOutcome.CREATED;
    }

    @Override
    public Optional<GameServer> get(String owner, String gameServerId) {
        return Optional.ofNullable(items.get(key(owner, gameServerId)));
    }

    @Override
    public Page list(String owner, int limit, String nextToken) {
        String after = nextToken == null ? owner + "/" : decode(owner, nextToken);
        List<GameServer> page = new ArrayList<>();
        for (var entry : items.tailMap(after, nextToken == null).entrySet()) {
            if (!entry.getKey().startsWith(owner + "/")) {
                break;
            }
            if (page.size() == limit) {
                return new Page(page, "t:" + key(owner, page.get(limit - 1).gameServerId()));
            }
            page.add(entry.getValue());
        }
        return new Page(page, null);
    }

    @Override
    public boolean updateConfig(GameServer updated, long expectedGeneration) {
        GameServer current = items.get(key(updated.owner(), updated.gameServerId()));
        if (current == null || current.generation() != expectedGeneration || current.deleteRequested()) {
            return false;
        }
        items.put(key(updated.owner(), updated.gameServerId()), updated);
        writes++;
        return true;
    }

    @Override
    public Optional<GameServer> requestDelete(String owner, String gameServerId, Instant now) {
        GameServer s = items.get(key(owner, gameServerId));
        if (s == null || s.deleteRequested()) {
            return Optional.empty();
        }
        GameServer written = new GameServer(s.owner(), s.ownerName(), s.gameServerId(), s.config(), s.generation(),
                true, s.placement(), s.stackName(), Status.DELETE_PENDING, null, s.observedGeneration(),
                s.executionArn(), s.stackId(), s.createdAt(), now);
        items.put(key(owner, gameServerId), written);
        slots(owner).remove(gameServerId);
        writes++;
        return Optional.of(written);
    }

    private Set<String> slots(String owner) {
        return quotaSlots.computeIfAbsent(owner, key -> new HashSet<>());
    }

    private static String key(String owner, String id) {
        return owner + "/" + id;
    }

    private static String decode(String owner, String token) {
        if (!token.startsWith("t:" + owner + "/")) {
            throw new InvalidRequestException("invalid_next_token", "next_token is not one this API issued");
        }
        return token.substring(2);
    }
}
