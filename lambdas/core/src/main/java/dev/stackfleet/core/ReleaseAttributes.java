package dev.stackfleet.core;

/**
 * The releases table of docs/contracts.md ("Releases and rollouts"): partition key {@value #PK}, sort key {@value #SK}.
 * It holds the published template releases ({@value #RELEASE_PK} / version), the pointer to the current release
 * ({@value #CURRENT_PK} / {@value #CURRENT_SK}), each rollout's record and waves ({@code rollout#<id>} /
 * {@value #ROLLOUT_SK}, {@code wave#<n>}) and the fleet's rollout lock ({@value #LOCK_PK} / {@value #LOCK_SK}).
 */
public final class ReleaseAttributes {

    public static final String PK = "pk";
    public static final String SK = "sk";

    public static final String RELEASE_PK = "release";
    public static final String CURRENT_PK = "current";
    public static final String CURRENT_SK = "release";
    public static final String ROLLOUT_PK_PREFIX = "rollout#";
    public static final String ROLLOUT_SK = "rollout";
    public static final String WAVE_SK_PREFIX = "wave#";
    public static final String LOCK_PK = "lock";
    public static final String LOCK_SK = "rollout";

    public static final String VERSION = "version";
    public static final String SHA256 = "sha256";
    public static final String TEMPLATE_KEY = "template_key";
    public static final String PUBLISHED_AT = "published_at";
    /** On the current pointer: the release that was current before, the target of a rollback. */
    public static final String PREVIOUS = "previous";

    private ReleaseAttributes() {}
}
