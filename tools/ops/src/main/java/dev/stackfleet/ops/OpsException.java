package dev.stackfleet.ops;

/**
 * A failure the operator can act on: its message says what went wrong and what to do. The command line
 * prints the message (no stack trace) and exits with status 1.
 */
public final class OpsException extends RuntimeException {

    /** @param message what failed and what to do about it */
    public OpsException(String message) {
        super(message);
    }
}
