package dev.stackfleet.core;

/** An item (or a stream image of one) that lacks an attribute a workflow needs, or holds a malformed one. */
public final class MalformedItemException extends RuntimeException {

    public MalformedItemException(String message) {
        super(message);
    }
}
