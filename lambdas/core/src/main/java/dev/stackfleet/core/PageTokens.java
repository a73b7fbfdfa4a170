package dev.stackfleet.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code next_token} of a listing: the last id of the page, versioned and base64url-encoded. It names no owner:
 * a listing always reads the caller's own partition, so a token only says where in it to resume.
 */
final class PageTokens {

    private static final String PREFIX = "v1:";

    private PageTokens() {}

    /** The token that resumes a listing after this id. */
    static String after(String lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The id a listing resumes after.
     *
     * @throws InvalidRequestException when the token is not one {@link #after} made
     */
    static String lastId(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String id = decoded.startsWith(PREFIX) ? decoded.substring(PREFIX.length()) : null;
            if (GameServerIds.isWellFormed(id)) {
                return id;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw new InvalidRequestException(
                "invalid_next_token",
                "next_token is not one this API issued; repeat the request without it to start over");
    }
}
