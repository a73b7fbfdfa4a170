package dev.stackfleet.reconciler;

/**
 * One thing a pass found wrong, and what it did about it.
 *
 * @param kind what is wrong
 * @param gameServerId the server, from its item or its stack's tag
 * @param owner the server's owner, when known
 * @param stackName the server's stack
 * @param detail what was seen, e.g. {@code CREATE_PENDING since 2026-11-30T10:00:00Z, no execution}
 * @param action what the pass did: {@code started <name>}, {@code would start <name>}, {@code reported}, ...
 */
public record Finding(Kind kind, String gameServerId, String owner, String stackName, String detail, String action) {

    /** What a pass can find. */
    public enum Kind {
        /** A pending or in-progress server with no running execution of its current intent. */
        STUCK,
        /** An {@code ACTIVE} server whose stack is gone. */
        STACK_MISSING,
        /** An {@code ACTIVE} server whose stack's parameters differ from its config. */
        DRIFTED,
        /** An {@code ACTIVE} server whose stack is in a failed state. */
        STACK_FAILED,
        /** A fleet stack with no item. */
        ORPHAN,
        /** Something the pass could not check or fix (an unreadable account, a malformed item). */
        UNRESOLVED
    }

    /** The finding's log line. */
    public String logLine() {
        return kind + " " + gameServerId + (owner == null ? "" : " owner=" + owner) + ": " + detail + " -> " + action;
    }
}
