package dev.stackfleet.core;

/**
 * The attribute names of a game-server item, shared by everything that reads or writes the table: the API,
 * the stream Lambda (which sees them in stream images), the local runtime and the ops tool.
 */
public final class ItemAttributes {

    /** The owner's immutable identity: the partition key. */
    public static final String OWNER = "owner";
    /** The owner's name for display (a username), written at creation; never a key, never sent to a workload account. */
    public static final String OWNER_NAME = "owner_name";

    public static final String GAMESERVER_ID = "gameserver_id";
    public static final String CONFIG = "config";
    public static final String GENERATION = "generation";
    public static final String DELETE_REQUESTED = "delete_requested";
    public static final String PLACEMENT = "placement";
    public static final String STACK_NAME = "stack_name";
    public static final String STATUS = "status";
    public static final String STATUS_REASON = "status_reason";
    public static final String OBSERVED_GENERATION = "observed_generation";
    public static final String EXECUTION_ARN = "execution_arn";
    public static final String STACK_ID = "stack_id";
    /** Where players connect: {@code address}, {@code port}, {@code protocol}, the stack's public outputs. */
    public static final String CONNECTION = "connection";
    /**
     * The template release the server's stack should run (desired): the current release when it was created, then the
     * release of the last rollout that upgraded it.
     */
    public static final String RELEASE = "release";
    /** The template release the stack runs (observed), written with {@code ACTIVE} by the provision workflow. */
    public static final String OBSERVED_RELEASE = "observed_release";

    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    /**
     * Why an operator paused the server ({@code ./stackfleet ops pause}): reconcile passes and fleet operations leave
     * it alone until it is resumed. The player's own requests still go through.
     */
    public static final String PAUSE_REASON = "pause_reason";

    public static final String PAUSED_AT = "paused_at";

    private ItemAttributes() {}
}
