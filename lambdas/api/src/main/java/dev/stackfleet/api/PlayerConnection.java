package dev.stackfleet.api;

import dev.stackfleet.core.Connection;
import dev.stackfleet.core.GameServer;
import java.util.Optional;

/**
 * Where a player connects, shown only while a stack with that address stands: from the first {@code ACTIVE}
 * on, through a change of config (an update keeps the load balancer, a failed one rolls back to it), until a
 * deletion is requested. Before the first {@code ACTIVE} there is none, and a server created again (a lost
 * stack rebuilt at generation 1) shows none until it has its new address.
 */
final class PlayerConnection {

    private PlayerConnection() {}

    static Optional<Connection> of(GameServer server) {
        return switch (server.status()) {
            case ACTIVE, UPDATE_PENDING, UPDATING, UPDATE_FAILED -> Optional.ofNullable(server.connection());
            case CREATE_PENDING, CREATING, CREATE_FAILED, DELETE_PENDING, DELETING, DELETE_FAILED -> Optional.empty();
        };
    }
}
