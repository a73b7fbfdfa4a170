package dev.stackfleet.api;

import dev.stackfleet.core.OwnerClaim;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling, from the JWT authorizer's claims (never from the request): the owner their servers are stored
 * under, and a name kept for display only.
 *
 * @param owner the immutable identity of {@link OwnerClaim}
 * @param displayName the {@code username} (Cognito) or {@code preferred_username} claim, or null
 */
record Caller(String owner, String displayName) {

    /** The game-server template's {@code Owner} parameter takes at most this many characters. */
    static final int MAX_LENGTH = 128;

    private static final List<String> DISPLAY_NAME_CLAIMS = List.of("username", "preferred_username");

    Caller {
        Objects.requireNonNull(owner, "owner");
    }

    /** The caller of these claims; 401 when the owner claim is missing, blank, too long or not plain text. */
    static Caller from(Map<String, String> claims, OwnerClaim ownerClaim) {
        Map<String, String> present = claims == null ? Map.of() : claims;
        String owner = ownerClaim.read(present).orElse(null);
        Optional<String> problem = problem(owner);
        if (problem.isPresent()) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "Sign in again: the token's " + ownerClaim.setting() + " claim " + problem.get());
        }
        String displayName = DISPLAY_NAME_CLAIMS.stream()
                .map(present::get)
                .filter(name -> problem(name).isEmpty())
                .findFirst()
                .orElse(null);
        return new Caller(owner, displayName);
    }

    private static Optional<String> problem(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("is missing");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("contains control characters");
        }
        return Optional.empty();
    }
}
