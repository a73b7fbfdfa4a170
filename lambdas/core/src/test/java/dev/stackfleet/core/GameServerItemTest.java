package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class GameServerItemTest {

    private static final GameServer REQUESTED = GameServer.requested(
            "alice",
            "alice",
            "gs-0123456789abcdefghij",
            new GameServerConfig("easy", 4, "s33d"),
            Placement.of("123456789012", "us-east-1", "stackfleet-workload-access"),
            "3f9a2c1d4b5e",
            Instant.parse("2026-11-30T12:00:00Z"));

    @Test
    void theConnectionIsReadAsTheProvisionWorkflowWritesIt() {
        // GIVEN the item after RecordActive (statemachines/provision.asl.json): a map of two strings and a number
        Connection written =
                new Connection("stackfleet-0123456789abcdefghij-1.elb.us-east-1.amazonaws.com", 25565, "udp");
        Map<String, AttributeValue> item = withConnection(written);

        // WHEN
        GameServer server = GameServerItem.fromItem(item);

        // THEN
        assertEquals(written, server.connection());
        assertEquals(item, GameServerItem.toItem(server));
    }

    @Test
    void aServerThatNeverWasActiveHasNoConnection() {
        assertNull(GameServerItem.fromItem(GameServerItem.toItem(REQUESTED)).connection());
    }

    @Test
    void aChangeOfConfigKeepsTheLastKnownConnection() {
        Connection connection = new Connection("a.elb.us-east-1.amazonaws.com", 7777, "tcp");
        GameServer active = GameServerItem.fromItem(withConnection(connection));

        GameServer changed = active.withConfig(new GameServerConfig("hard", 8, "s33d"), Instant.now());

        assertEquals(connection, changed.connection());
    }

    private static Map<String, AttributeValue> withConnection(Connection connection) {
        Map<String, AttributeValue> item = new HashMap<>(GameServerItem.toItem(REQUESTED));
        item.put(
                "connection",
                AttributeValue.fromM(Map.of(
                        "address", AttributeValue.fromS(connection.address()),
                        "port", AttributeValue.fromN(Integer.toString(connection.port())),
                        "protocol", AttributeValue.fromS(connection.protocol()))));
        return item;
    }
}
