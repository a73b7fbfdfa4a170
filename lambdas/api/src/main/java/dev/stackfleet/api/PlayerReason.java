package dev.stackfleet.api;

import dev.stackfleet.core.Status;
import java.util.Optional;

/**
 * What a player is told about a failed server: what did not happen and what they can do, from the status
 * alone. The recorded {@code status_reason} names accounts, roles and stacks, so only operators read it.
 */
final class PlayerReason {

    private PlayerReason() {}

    /** The reason shown for a {@code *_FAILED} status; empty for every other status. */
    static Optional<String> of(Status status) {
        return Optional.ofNullable(
                switch (status) {
                    case CREATE_FAILED ->
                        "The server could not be created. Try again, or delete it; "
                                + "the operators have the details.";
                    case UPDATE_FAILED ->
                        "The change could not be applied. Try it again, or delete the server; "
                                + "the operators have the details.";
                    case DELETE_FAILED ->
                        "The server could not be deleted yet. The operators have the details "
                                + "and will finish the deletion.";
                    default -> null;
                });
    }
}
