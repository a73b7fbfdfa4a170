package dev.stackfleet.reconciler;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * One stack of the fleet as its workload account lists it.
 *
 * @param accountId the workload account
 * @param region its region
 * @param name the stack name ({@code stackfleet-<gameserver_id>})
 * @param status e.g. {@code CREATE_COMPLETE}
 * @param parameters its parameters by key
 * @param tags its tags by key
 * @param lastChanged when it was created or last updated
 */
record FleetStack(
        String accountId,
        String region,
        String name,
        String status,
        Map<String, String> parameters,
        Map<String, String> tags,
        Instant lastChanged) {

    /** The name prefix of every stack stackfleet makes (docs/contracts.md). */
    static final String NAME_PREFIX = "stackfleet-";

    static final String ID_TAG = "stackfleet:gameserver-id";
    static final String OWNER_TAG = "stackfleet:owner";
    static final String GENERATION_TAG = "stackfleet:generation";

    static FleetStack of(String accountId, String region, Stack stack) {
        Map<String, String> parameters = new HashMap<>();
        stack.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
        Map<String, String> tags = new HashMap<>();
        stack.tags().forEach(t -> tags.put(t.key(), t.value()));
        Instant changed = stack.lastUpdatedTime() != null ? stack.lastUpdatedTime() : stack.creationTime();
        return new FleetStack(
                accountId,
                region,
                stack.stackName(),
                stack.stackStatusAsString(),
                Map.copyOf(parameters),
                Map.copyOf(tags),
                changed);
    }

    /** Whether stackfleet made it: its name prefix and the server id tag. */
    boolean isFleetStack() {
        return name.startsWith(NAME_PREFIX) && tags.containsKey(ID_TAG);
    }

    String gameServerId() {
        return tags.get(ID_TAG);
    }

    String owner() {
        return tags.get(OWNER_TAG);
    }

    /** CloudFormation is working on it: a pass leaves it alone. */
    boolean inProgress() {
        return status.endsWith("_IN_PROGRESS");
    }

    /** A failed update's rollback that failed too: only an operator's continue-update-rollback moves it on. */
    boolean needsOperator() {
        return status.endsWith("ROLLBACK_FAILED") && !"ROLLBACK_FAILED".equals(status);
    }

    /** A failed state that the provision workflow clears (deletes and creates again) or updates from. */
    boolean failed() {
        return status.endsWith("_FAILED") || "ROLLBACK_COMPLETE".equals(status);
    }
}
