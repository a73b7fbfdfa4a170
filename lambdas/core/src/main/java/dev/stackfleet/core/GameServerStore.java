package dev.stackfleet.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the API keeps the desired state, each owner's quota and each workload account's use. Every write is
 * conditional, so no concurrent update is lost; a server, its quota slot and its account slot are created together
 * or not at all.
 */
public interface GameServerStore {

    /** One page of an owner's servers and the token for the next page (null on the last). */
    record Page(List<GameServer> items, String nextToken) {}

    /** What became of a create. */
    enum CreateOutcome {
        /** The server, its quota slot and its account slot were written. */
        CREATED,
        /** The owner already holds the limit of live servers: nothing was written. */
        QUOTA_EXCEEDED,
        /**
         * The server's placement account no longer takes new servers (it filled up, was drained or quarantined since
         * the pool was read): nothing was written.
         */
        ACCOUNT_UNAVAILABLE,
        /**
         * A server with this id exists: nothing was written by this call. It may be this create's own write,
         * when its answer was lost and the request repeated.
         */
        ID_TAKEN
    }

    /**
     * Writes a new server, takes one of its owner's quota slots and one slot of its placement account, in one step:
     * all or none. Never overwrites a server.
     *
     * @param maxServersPerOwner how many live servers an owner may hold
     */
    CreateOutcome create(GameServer server, int maxServersPerOwner);

    /** The template release new servers get, if one is published and current (consistent read). */
    Optional<String> currentRelease();

    /** The workload accounts of the placement pool, as they are now (consistent read). */
    List<PoolAccount> accountPool();

    /** The owner's server with this id. */
    Optional<GameServer> get(String owner, String gameServerId);

    /**
     * A page of the owner's servers in id order.
     *
     * @param nextToken a token from a previous page, or null for the first page
     * @throws InvalidRequestException when the token was not issued by this store
     */
    Page list(String owner, int limit, String nextToken);

    /**
     * Writes a new desired config and release only if the stored generation is still {@code expectedGeneration}
     * and no deletion was requested.
     *
     * @return false when the condition failed (a concurrent write won)
     */
    boolean updateConfig(GameServer updated, long expectedGeneration);

    /**
     * Marks the server for deletion ({@code DELETE_PENDING}) unless it already is, then frees its quota slot.
     *
     * @return the server as written, or empty when it does not exist or deletion was already requested (nothing
     *     was written)
     */
    Optional<GameServer> requestDelete(String owner, String gameServerId, Instant now);
}
