package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.OwnerClaim;
import dev.stackfleet.core.TemplateParameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner comes from the claim the deployment names; the username is only ever a display name. */
class CallerTest {

    private static final String COGNITO = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI";

    @Test
    void withTheUserPoolTheOwnerIsTheSubject() {
        Caller caller = Caller.from(Map.of("iss", COGNITO, "sub", "7d1c2b3a", "username", "alice"), OwnerClaim.SUBJECT);

        assertEquals(new Caller("7d1c2b3a", "alice"), caller);
    }

    @Test
    void withAnExternalIssuerTheOwnerIsIssuerAndSubject() {
        Caller caller = Caller.from(
                Map.of("iss", "https://login.example.com/", "sub", "auth0|64f1", "preferred_username", "Alice"),
                OwnerClaim.ISSUER_AND_SUBJECT);

        assertEquals(new Caller("https://login.example.com/|auth0|64f1", "Alice"), caller);
    }

    @Test
    void aNamedClaimCanBeTheOwner() {
        Caller caller = Caller.from(
                Map.of("sub", "pairwise-1", "oid", "00000000-0000-0000-0000-00000000000a"), new OwnerClaim("oid"));

        assertEquals("00000000-0000-0000-0000-00000000000a", caller.owner());
        assertNull(caller.displayName());
    }

    @Test
    void anIssuerWithoutSubjectIsNoOwner() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> Caller.from(Map.of("iss", "https://login.example.com/"), OwnerClaim.ISSUER_AND_SUBJECT));

        assertEquals(401, e.status());
        assertEquals("unauthorized", e.code());
    }

    @Test
    void aDisplayNameThatIsNotPlainTextIsLeftOut() {
        Caller caller = Caller.from(Map.of("sub", "7d1c2b3a", "username", "al\u0000ice"), OwnerClaim.SUBJECT);

        assertNull(caller.displayName());
    }

    @Test
    void theBoundIsWhatTheTemplatesOwnerParameterAccepts() {
        assertEquals(TemplateParameters.gameServer().get("Owner").orElseThrow().maxLength(), Caller.MAX_LENGTH);
    }

    @Test
    void theOwnerClaimSettingDefaultsToTheSubjectAndMustBeAClaimName() {
        Map<String, String> env = Map.of(
                "TABLE_NAME",
                "t",
                "QUOTA_TABLE_NAME",
                "q",
                "ACCOUNT_POOL_TABLE_NAME",
                "a",
                "RELEASES_TABLE_NAME",
                "r",
                "AWS_REGION",
                "eu-west-1");
        Map<String, String> withBadClaim = new java.util.HashMap<>(env);
        withBadClaim.put("OWNER_CLAIM", "sub username");

        assertEquals(OwnerClaim.SUBJECT, ApiConfig.from(env).ownerClaim());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiConfig.from(withBadClaim));
        assertTrue(e.getMessage().startsWith("OWNER_CLAIM: "), e.getMessage());
    }
}
