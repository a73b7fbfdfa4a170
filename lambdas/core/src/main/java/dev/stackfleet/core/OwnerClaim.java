package dev.stackfleet.core;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which JWT claims identify a game server's owner: always what the identity provider never reassigns and users
 * cannot edit, never a username. The CDK app sets it in {@value #ENVIRONMENT_VARIABLE}: {@code sub} for its
 * Cognito user pool (unique within the pool), {@code iss+sub} for an external OpenID Connect issuer (the subject
 * is unique per issuer; the owner is {@code <iss>|<sub>}), or the claim an installation names in its
 * {@code ownerClaim} setting.
 *
 * @param setting {@code sub}, {@code iss+sub} or a claim name
 */
public record OwnerClaim(String setting) {

    public static final String ENVIRONMENT_VARIABLE = "OWNER_CLAIM";
    private static final String ISSUER_AND_SUBJECT_SETTING = "iss+sub";
    private static final Pattern CLAIM_NAME = Pattern.compile("[A-Za-z0-9_:.-]{1,64}");

    /** The subject of the deployment's own Cognito user pool. */
    public static final OwnerClaim SUBJECT = new OwnerClaim("sub");
    /** Issuer and subject of an external issuer. */
    public static final OwnerClaim ISSUER_AND_SUBJECT = new OwnerClaim(ISSUER_AND_SUBJECT_SETTING);

    public OwnerClaim {
        if (setting == null
                || (!ISSUER_AND_SUBJECT_SETTING.equals(setting)
                        && !CLAIM_NAME.matcher(setting).matches())) {
            throw new IllegalArgumentException("The owner claim must be sub, " + ISSUER_AND_SUBJECT_SETTING
                    + " or a claim name of letters, digits and _:.- (at most 64), not '" + setting + "'");
        }
    }

    /** The owner's identity from a token's claims, or empty when a claim it needs is absent. */
    public Optional<String> read(Map<String, String> claims) {
        if (ISSUER_AND_SUBJECT_SETTING.equals(setting)) {
            String issuer = claims.get("iss");
            String subject = claims.get("sub");
            return issuer == null || subject == null ? Optional.empty() : Optional.of(issuer + "|" + subject);
        }
        return Optional.ofNullable(claims.get(setting));
    }
}
