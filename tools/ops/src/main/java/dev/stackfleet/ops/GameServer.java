package dev.stackfleet.ops;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item of the game server table, as the operator sees it (attributes as in {@code docs/contracts.md}).
 *
 * @param username owner (partition key)
 * @param gameServerId the server (sort key)
 * @param status e.g. {@code ACTIVE}, {@code UPDATE_FAILED}
 * @param statusReason why a {@code *_FAILED} status was written, or {@code null}
 * @param generation desired-state generation
 * @param observedGeneration the generation the stack last converged to, or {@code null}
 * @param deleteRequested whether deletion was accepted
 * @param config the desired config as plain values
 * @param placement where the stack lives
 * @param stackName the CloudFormation stack name
 * @param stackId the stack id written by the workflows, or {@code null}
 * @param executionArn the execution that wrote the status, or {@code null}
 * @param createdAt creation time, or {@code null}
 * @param updatedAt time of the last write, or {@code null}
 */
public record GameServer(String username, String gameServerId, String status, String statusReason,
                         long generation, Long observedGeneration, boolean deleteRequested,
                         Map<String, Object> config, Placement placement, String stackName, String stackId,
                         String executionArn, Instant createdAt, Instant updatedAt) {

    /**
     * Where a server's stack lives.
     *
     * @param accountId workload account
     * @param region workload region
     * @param roleArn the role that manages stackfleet's stacks there
     */
    public record Placement(String accountId, String region, String roleArn) {
    }

    /** Reads an item; attributes the workflows have not written yet are {@code null}. */
    static GameServer from(Map<String, AttributeValue> item) {
        AttributeValue placement = item.get("placement");
        Map<String, AttributeValue> p = placement == null || !placement.hasM() ? Map.of() : placement.m();
        AttributeValue config = item.get("config");
        AttributeValue deleteRequested = item.get("delete_requested");
        Long generation = Attributes.number(item, "generation");
        return new GameServer(
                Attributes.string(item, "username"),
                Attributes.string(item, "gameserver_id"),
                Attributes.string(item, "status"),
                Attributes.string(item, "status_reason"),
                generation == null ? 0 : generation,
                Attributes.number(item, "observed_generation"),
                deleteRequested != null && Boolean.TRUE.equals(deleteRequested.bool()),
                config == null || !config.hasM() ? Map.of() : Attributes.plain(config.m()),
                new Placement(Attributes.string(p, "account_id"), Attributes.string(p, "region"),
                        Attributes.string(p, "role_arn")),
                Attributes.string(item, "stack_name"),
                Attributes.string(item, "stack_id"),
                Attributes.string(item, "execution_arn"),
                instant(Attributes.string(item, "created_at")),
                instant(Attributes.string(item, "updated_at")));
    }

    /** Whether the status is one of the {@code *_FAILED} statuses. */
    public boolean failed() {
        return status != null && status.endsWith("_FAILED");
    }

    private static Instant instant(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
