package dev.stackfleet.api;

import dev.stackfleet.core.InvalidRequestException;

/** A client mistake with its HTTP status, e.g. 404 {@code not_found}. */
final class ApiException extends InvalidRequestException {

    private final int status;

    ApiException(int status, String code, String message) {
        super(code, message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException notFound(String gameServerId) {
        return new ApiException(404, "not_found", "No game server " + gameServerId + " for this user");
    }
}
