package dev.stackfleet.core;

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
 * a delete request, with its quota slot, counts as one). Held to {@link GameServerStoreContract}, as the table store
 * is. One call at a time, so that racing requests meet the conditions as they meet them in DynamoDB.
 */
public final class InMemoryGameServerStore implements GameServerStore {

    private final TreeMap<String, GameServer> items = new TreeMap<>();
    private final Map<String, Set<String>> quotaSlots = new HashMap<>();
    private final Map<String, PoolAccount> accounts = new TreeMap<>();
    private String currentRelease;
    private int writes;
    private boolean nextCreateAnsweredAsARetry;

    public synchronized int writes() {
        return writes;
    }

    /** Puts a server directly, as if an earlier request had written it; not counted as a write. */
    public synchronized void seed(GameServer server) {
        items.put(key(server.owner(), server.gameServerId()), server);
        if (!server.deleteRequested()) {
            slots(server.owner()).add(server.gameServerId());
        }
    }

    /**
     * The next create is written, then answered as its retry would be after a lost answer: the id is taken
     * (and the quota, if now full, too).
     */
    public synchronized void answerNextCreateAsARetry() {
        nextCreateAnsweredAsARetry = true;
    }

    /** Puts or replaces a workload account of the pool, as the deployment settings or an operator would. */
    public synchronized void putAccount(PoolAccount account) {
        accounts.put(account.accountId(), account);
    }

    /** Makes a release the one new servers get, as publishing it would. */
    public synchronized void makeCurrent(String release) {
        currentRelease = release;
    }

    /** An open account with this capacity and no servers. */
    public void openAccount(String accountId, long capacity) {
        putAccount(new PoolAccount(accountId, "eu-west-1", capacity, PoolAccount.State.OPEN, 0, null, null));
    }

    /** The ids holding the owner's quota slots. */
    public synchronized Set<String> quotaSlots(String owner) {
        return Set.copyOf(slots(owner));
    }

    @Override
    public synchronized CreateOutcome create(GameServer server, int maxServersPerOwner) {
        // In the table store's order: a full quota first (its one read), then the transaction's conditions.
        Set<String> held = slots(server.owner());
        if (held.size() >= maxServersPerOwner) {
            return held.contains(server.gameServerId()) ? CreateOutcome.ID_TAKEN : CreateOutcome.QUOTA_EXCEEDED;
        }
        if (items.containsKey(key(server.owner(), server.gameServerId()))) {
            return CreateOutcome.ID_TAKEN;
        }
        PoolAccount account = accounts.get(server.placement().accountId());
        if (account == null
                || account.state() != PoolAccount.State.OPEN
                || account.quarantined()
                || account.used() >= account.capacity()) {
            return CreateOutcome.ACCOUNT_UNAVAILABLE;
        }
        items.put(key(server.owner(), server.gameServerId()), server);
        slots(server.owner()).add(server.gameServerId());
        accounts.put(
                account.accountId(),
                new PoolAccount(
                        account.accountId(),
                        account.region(),
                        account.capacity(),
                        account.state(),
                        account.used() + 1,
                        null,
                        null));
        writes++;
        if (nextCreateAnsweredAsARetry) {
            nextCreateAnsweredAsARetry = false;
            return CreateOutcome.ID_TAKEN;
        }
        return CreateOutcome.CREATED;
    }

    @Override
    public synchronized Optional<String> currentRelease() {
        return Optional.ofNullable(currentRelease);
    }

    @Override
    public synchronized List<PoolAccount> accountPool() {
        return List.copyOf(accounts.values());
    }

    @Override
    public synchronized Optional<GameServer> get(String owner, String gameServerId) {
        return Optional.ofNullable(items.get(key(owner, gameServerId)));
    }

    @Override
    public synchronized Page list(String owner, int limit, String nextToken) {
        String after = nextToken == null ? key(owner, "") : key(owner, PageTokens.lastId(nextToken));
        List<GameServer> page = new ArrayList<>();
        for (var entry : items.tailMap(after, false).entrySet()) {
            if (!entry.getKey().startsWith(owner + "/")) {
                break;
            }
            if (page.size() == limit) {
                return new Page(page, PageTokens.after(page.get(limit - 1).gameServerId()));
            }
            page.add(entry.getValue());
        }
        return new Page(page, null);
    }

    @Override
    public synchronized boolean updateConfig(GameServer updated, long expectedGeneration) {
        GameServer current = items.get(key(updated.owner(), updated.gameServerId()));
        if (current == null || current.generation() != expectedGeneration || current.deleteRequested()) {
            return false;
        }
        // Like the table's UpdateItem: only the desired state is set; what the workflows recorded stays.
        items.put(
                key(updated.owner(), updated.gameServerId()),
                new GameServer(
                        current.owner(),
                        current.ownerName(),
                        current.gameServerId(),
                        updated.config(),
                        updated.generation(),
                        false,
                        current.placement(),
                        current.stackName(),
                        updated.status(),
                        null,
                        current.observedGeneration(),
                        current.executionArn(),
                        current.stackId(),
                        current.connection(),
                        updated.release(),
                        current.observedRelease(),
                        current.createdAt(),
                        updated.updatedAt()));
        writes++;
        return true;
    }

    @Override
    public synchronized Optional<GameServer> requestDelete(String owner, String gameServerId, Instant now) {
        GameServer s = items.get(key(owner, gameServerId));
        if (s == null || s.deleteRequested()) {
            return Optional.empty();
        }
        GameServer written = new GameServer(
                s.owner(),
                s.ownerName(),
                s.gameServerId(),
                s.config(),
                s.generation(),
                true,
                s.placement(),
                s.stackName(),
                Status.DELETE_PENDING,
                null,
                s.observedGeneration(),
                s.executionArn(),
                s.stackId(),
                s.connection(),
                s.release(),
                s.observedRelease(),
                s.createdAt(),
                now);
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
}
