package dev.stackfleet.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable game-server template release, addressed by its content: the version is the start of the template's
 * SHA-256, and the template lives at {@code templates/<version>/game-server.yaml} in the template bucket, the key the
 * provision workflow builds from an execution's {@code release}.
 *
 * @param version the first {@value #VERSION_LENGTH} hex digits of {@code sha256}
 * @param sha256 the template's SHA-256, hex
 * @param publishedAt when it was published
 */
public record Release(String version, String sha256, Instant publishedAt) {

    /** 48 bits: a collision would need millions of releases, and publishing one refuses a different template. */
    static final int VERSION_LENGTH = 12;

    /** The bucket prefix the workload-access role may read ({@code TemplateKeyPrefix}). */
    public static final String KEY_PREFIX = "templates/";

    public Release {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(publishedAt, "publishedAt");
    }

    /** The release of a template's text, published now. */
    public static Release of(String template, Instant now) {
        String sha256 = sha256(template);
        return new Release(sha256.substring(0, VERSION_LENGTH), sha256, now);
    }

    /** Whether a string has the form of a version. */
    public static boolean isVersion(String text) {
        return text != null && text.matches("[0-9a-f]{" + VERSION_LENGTH + "}");
    }

    /** The template's key in the template bucket. */
    public String templateKey() {
        return templateKey(version);
    }

    /** The key of a version's template in the template bucket. */
    public static String templateKey(String version) {
        return KEY_PREFIX + version + "/game-server.yaml";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
