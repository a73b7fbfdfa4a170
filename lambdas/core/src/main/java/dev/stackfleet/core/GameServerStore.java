package dev.stackfleet.core;

import java.util.List;
import java.util.Optional;

/** Where the API keeps the desired state. Every write is conditional, so no concurrent update is lost. */
public interface GameServerStore {

    /** One page of an owner's servers and the token for the next page (null on the last). */
    record Page(List<GameServer> items, String nextToken) {
    }

    /** Writes a new server; fails if the id exists (never overwrites). */
    void create(GameServer server);

    /** The owner's server with this id. */
    Optional<GameServer> get(String username, String gameServerId);

    /**
     * A page of the owner's servers in id order.
     *
     * @param nextToken a token from a previous page, or null for the first page
     * @throws InvalidRequestException when the token was not issued by this store
     */
    Page list(String username, int limit, String nextToken);

    /** How many of the owner's servers are not being deleted. */
    int countLive(String username);

    /**
     * Writes a new desired config only if the stored generation is still {@code expectedGeneration} and no
     * deletion was requested.
     *
     * @return false when the condition failed (a concurrent write won)
     */
    boolean updateConfig(GameServer updated, long expectedGeneration);

    /**
     * Marks the server for deletion ({@code DELETE_PENDING}) unless it already is.
     *
     * @return the server as written, or empty when it does not exist or deletion was already requested
     */
    Optional<GameServer> requestDelete(String username, String gameServerId, java.time.Instant now);
}
