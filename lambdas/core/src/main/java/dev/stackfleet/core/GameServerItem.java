package dev.stackfleet.core;

import static dev.stackfleet.core.ItemAttributes.CONFIG;
import static dev.stackfleet.core.ItemAttributes.CONNECTION;
import static dev.stackfleet.core.ItemAttributes.CREATED_AT;
import static dev.stackfleet.core.ItemAttributes.DELETE_REQUESTED;
import static dev.stackfleet.core.ItemAttributes.EXECUTION_ARN;
import static dev.stackfleet.core.ItemAttributes.GAMESERVER_ID;
import static dev.stackfleet.core.ItemAttributes.GENERATION;
import static dev.stackfleet.core.ItemAttributes.OBSERVED_GENERATION;
import static dev.stackfleet.core.ItemAttributes.OBSERVED_RELEASE;
import static dev.stackfleet.core.ItemAttributes.OWNER;
import static dev.stackfleet.core.ItemAttributes.OWNER_NAME;
import static dev.stackfleet.core.ItemAttributes.PLACEMENT;
import static dev.stackfleet.core.ItemAttributes.RELEASE;
import static dev.stackfleet.core.ItemAttributes.STACK_ID;
import static dev.stackfleet.core.ItemAttributes.STACK_NAME;
import static dev.stackfleet.core.ItemAttributes.STATUS;
import static dev.stackfleet.core.ItemAttributes.STATUS_REASON;
import static dev.stackfleet.core.ItemAttributes.UPDATED_AT;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps a {@link GameServer} to and from its table item (attribute names in docs/contracts.md). */
public final class GameServerItem {

    private GameServerItem() {}

    /** The item's key. */
    public static Map<String, AttributeValue> key(String owner, String gameServerId) {
        return Map.of(OWNER, s(owner), GAMESERVER_ID, s(gameServerId));
    }

    /** The whole item for a server. */
    public static Map<String, AttributeValue> toItem(GameServer server) {
        Map<String, AttributeValue> item = new HashMap<>(key(server.owner(), server.gameServerId()));
        putIfPresent(item, OWNER_NAME, server.ownerName());
        item.put(CONFIG, config(server.config()));
        item.put(GENERATION, n(server.generation()));
        if (server.deleteRequested()) {
            item.put(DELETE_REQUESTED, AttributeValue.fromBool(true));
        }
        item.put(
                PLACEMENT,
                AttributeValue.fromM(Map.of(
                        "account_id", s(server.placement().accountId()),
                        "region", s(server.placement().region()),
                        "role_arn", s(server.placement().roleArn()))));
        item.put(STACK_NAME, s(server.stackName()));
        item.put(STATUS, s(server.status().name()));
        putIfPresent(item, STATUS_REASON, server.statusReason());
        if (server.observedGeneration() != null) {
            item.put(OBSERVED_GENERATION, n(server.observedGeneration()));
        }
        putIfPresent(item, EXECUTION_ARN, server.executionArn());
        putIfPresent(item, STACK_ID, server.stackId());
        if (server.connection() != null) {
            item.put(
                    CONNECTION,
                    AttributeValue.fromM(Map.of(
                            "address", s(server.connection().address()),
                            "port", n(server.connection().port()),
                            "protocol", s(server.connection().protocol()))));
        }
        putIfPresent(item, RELEASE, server.release());
        putIfPresent(item, OBSERVED_RELEASE, server.observedRelease());
        item.put(CREATED_AT, s(server.createdAt().toString()));
        item.put(UPDATED_AT, s(server.updatedAt().toString()));
        return item;
    }

    /** Reads an item written by the API and the workflows. */
    public static GameServer fromItem(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> config = item.get(CONFIG).m();
        Map<String, AttributeValue> placement = item.get(PLACEMENT).m();
        return new GameServer(
                item.get(OWNER).s(),
                string(item, OWNER_NAME),
                item.get(GAMESERVER_ID).s(),
                new GameServerConfig(
                        config.get("difficulty").s(),
                        Integer.parseInt(config.get("player_count").n()),
                        config.get("seed").s()),
                Long.parseLong(item.get(GENERATION).n()),
                item.containsKey(DELETE_REQUESTED)
                        && Boolean.TRUE.equals(item.get(DELETE_REQUESTED).bool()),
                new Placement(
                        placement.get("account_id").s(),
                        placement.get("region").s(),
                        placement.get("role_arn").s()),
                item.get(STACK_NAME).s(),
                Status.valueOf(item.get(STATUS).s()),
                string(item, STATUS_REASON),
                item.containsKey(OBSERVED_GENERATION)
                        ? Long.valueOf(item.get(OBSERVED_GENERATION).n())
                        : null,
                string(item, EXECUTION_ARN),
                string(item, STACK_ID),
                connection(item),
                string(item, RELEASE),
                string(item, OBSERVED_RELEASE),
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(UPDATED_AT).s()));
    }

    /** The config map as stored. */
    public static AttributeValue config(GameServerConfig config) {
        return AttributeValue.fromM(Map.of(
                "difficulty", s(config.difficulty()),
                "player_count", n(config.playerCount()),
                "seed", s(config.seed())));
    }

    /** The connection the provision workflow recorded with {@code ACTIVE}, or null before the first. */
    private static Connection connection(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(CONNECTION);
        if (value == null) {
            return null;
        }
        Map<String, AttributeValue> connection = value.m();
        return new Connection(
                connection.get("address").s(),
                Integer.parseInt(connection.get("port").n()),
                connection.get("protocol").s());
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
