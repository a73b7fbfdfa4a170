package dev.stackfleet.core;

import java.util.Objects;

/**
 * Where players connect to a game server: the stack's public outputs ({@code ConnectAddress},
 * {@code ConnectPort}, {@code ConnectProtocol} in templates/game-server.yaml), which the provision workflow
 * copies into the item's {@code connection} map when it records {@code ACTIVE}.
 *
 * @param address the DNS name of the server's load balancer, stable across task restarts
 * @param port the game port
 * @param protocol {@code tcp} or {@code udp}
 */
public record Connection(String address, int port, String protocol) {

    public Connection {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
    }
}
