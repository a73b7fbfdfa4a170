package dev.stackfleet.ops;

import static dev.stackfleet.core.ItemAttributes.CONFIG;
import static dev.stackfleet.core.ItemAttributes.CREATED_AT;
import static dev.stackfleet.core.ItemAttributes.DELETE_REQUESTED;
import static dev.stackfleet.core.ItemAttributes.EXECUTION_ARN;
import static dev.stackfleet.core.ItemAttributes.GAMESERVER_ID;
import static dev.stackfleet.core.ItemAttributes.GENERATION;
import static dev.stackfleet.core.ItemAttributes.OBSERVED_GENERATION;
import static dev.stackfleet.core.ItemAttributes.OBSERVED_RELEASE;
import static dev.stackfleet.core.ItemAttributes.OWNER;
import static dev.stackfleet.core.ItemAttributes.PAUSED_AT;
import static dev.stackfleet.core.ItemAttributes.PAUSE_REASON;
import static dev.stackfleet.core.ItemAttributes.PLACEMENT;
import static dev.stackfleet.core.ItemAttributes.RELEASE;
import static dev.stackfleet.core.ItemAttributes.STACK_ID;
import static dev.stackfleet.core.ItemAttributes.STACK_NAME;
import static dev.stackfleet.core.ItemAttributes.STATUS;
import static dev.stackfleet.core.ItemAttributes.STATUS_REASON;
import static dev.stackfleet.core.ItemAttributes.UPDATED_AT;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item of the game server table as the operator sees it (attributes as in {@code docs/contracts.md}).
 * Unlike the control plane's own model, it accepts items that are incomplete or damaged, since those are
 * among the items an operator looks at.
 *
 * @param owner owner (partition key)
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
 * @param pauseReason why an operator paused it, or {@code null} when it is not paused
 * @param pausedAt when it was paused, or {@code null}
 * @param release the template release its stack should run, or {@code null} on an item from before releases
 * @param observedRelease the template release its stack runs, or {@code null} before its first {@code ACTIVE}
 * @param item the item as read
 */
public record ServerView(
        String owner,
        String gameServerId,
        String status,
        String statusReason,
        long generation,
        Long observedGeneration,
        boolean deleteRequested,
        Map<String, Object> config,
        Placement placement,
        String stackName,
        String stackId,
        String executionArn,
        Instant createdAt,
        Instant updatedAt,
        String pauseReason,
        Instant pausedAt,
        String release,
        String observedRelease,
        @JsonIgnore Map<String, AttributeValue> item) {

    /**
     * Where a server's stack lives.
     *
     * @param accountId workload account
     * @param region workload region
     * @param roleArn the role that manages stackfleet's stacks there
     */
    public record Placement(String accountId, String region, String roleArn) {}

    /** Reads an item; attributes the workflows have not written yet are {@code null}. */
    static ServerView from(Map<String, AttributeValue> item) {
        AttributeValue placement = item.get(PLACEMENT);
        Map<String, AttributeValue> p = placement == null || !placement.hasM() ? Map.of() : placement.m();
        AttributeValue config = item.get(CONFIG);
        AttributeValue deleteRequested = item.get(DELETE_REQUESTED);
        Long generation = Attributes.number(item, GENERATION);
        return new ServerView(
                Attributes.string(item, OWNER),
                Attributes.string(item, GAMESERVER_ID),
                Attributes.string(item, STATUS),
                Attributes.string(item, STATUS_REASON),
                generation == null ? 0 : generation,
                Attributes.number(item, OBSERVED_GENERATION),
                deleteRequested != null && Boolean.TRUE.equals(deleteRequested.bool()),
                config == null || !config.hasM() ? Map.of() : Attributes.plain(config.m()),
                new Placement(
                        Attributes.string(p, "account_id"),
                        Attributes.string(p, "region"),
                        Attributes.string(p, "role_arn")),
                Attributes.string(item, STACK_NAME),
                Attributes.string(item, STACK_ID),
                Attributes.string(item, EXECUTION_ARN),
                instant(Attributes.string(item, CREATED_AT)),
                instant(Attributes.string(item, UPDATED_AT)),
                Attributes.string(item, PAUSE_REASON),
                instant(Attributes.string(item, PAUSED_AT)),
                Attributes.string(item, RELEASE),
                Attributes.string(item, OBSERVED_RELEASE),
                item);
    }

    /** The same server as it reads once its desired release is this one. */
    ServerView onRelease(String version) {
        Map<String, AttributeValue> retargeted = new HashMap<>(item);
        retargeted.put(RELEASE, AttributeValue.fromS(version));
        return from(retargeted);
    }

    /** Whether an operator paused it: reconcile passes and fleet operations leave it alone. */
    public boolean paused() {
        return pauseReason != null;
    }

    /** Whether its stack runs a release other than the one it should (or none is known yet). */
    public boolean releaseLags() {
        return observedRelease == null || !observedRelease.equals(release);
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
