package dev.stackfleet.core;

/**
 * What a user sees of a game server. Only the API writes the {@code *_PENDING} statuses; only the
 * workflows write the others.
 */
public enum Status {
    CREATE_PENDING,
    CREATING,
    ACTIVE,
    UPDATE_PENDING,
    UPDATING,
    DELETE_PENDING,
    DELETING,
    CREATE_FAILED,
    UPDATE_FAILED,
    DELETE_FAILED
}
