package dev.stackfleet.core;

/**
 * A client mistake: the request cannot be accepted as sent. Carries a stable error code for programs
 * and a message that tells a person what to fix.
 */
public class InvalidRequestException extends RuntimeException {

    private final String code;

    public InvalidRequestException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A stable, snake_case error code such as {@code invalid_value}. */
    public String code() {
        return code;
    }
}
