package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.OwnerClaim;
import dev.stackfleet.core.PoolAccount;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private final Map<String, Object> context = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    private Config read() {
        return Config.from(context::get, environment);
    }

    @Test
    void defaultsApplyWhenOnlyTheRequiredSettingsAreGiven() {
        // GIVEN the required settings only
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222, 333333333333");

        // WHEN the configuration is read
        Config config = read();

        // THEN the documented defaults fill the rest
        assertEquals(List.of("222222222222", "333333333333"), config.workloadAccounts());
        assertEquals(
                List.of(
                        new Config.PoolEntry("222222222222", 2000, PoolAccount.State.OPEN),
                        new Config.PoolEntry("333333333333", 2000, PoolAccount.State.OPEN)),
                config.accountPool());
        assertEquals("eu-west-1", config.placementRegion());
        assertEquals(10, config.maxServersPerOwner());
        assertEquals(120, config.pollInitialSeconds());
        assertEquals(480, config.pollMaxSeconds());
        assertEquals(8, config.maxConcurrentStarts());
        assertEquals(Optional.empty(), config.jwt());
        assertEquals(Optional.empty(), config.alarmTopicArn());
        assertEquals(List.of(), config.observerPrincipals());
        assertEquals(new Config.Reconcile(5, 600, 3600, OptionalInt.empty()), config.reconcile());
    }

    @Test
    void environmentFillsWhatContextLeavesOut() {
        // GIVEN settings from the environment, as CI or a shell would set them
        environment.put("CDK_DEFAULT_ACCOUNT", "111111111111");
        environment.put("CDK_DEFAULT_REGION", "us-east-1");
        environment.put("STACKFLEET_WORKLOAD_ACCOUNTS", "222222222222");
        environment.put("STACKFLEET_MAX_SERVERS_PER_OWNER", "3");
        environment.put("STACKFLEET_JWT_ISSUER", "https://issuer.example.com");
        environment.put("STACKFLEET_JWT_AUDIENCE", "stackfleet-api");
        context.put("maxServersPerOwner", "4");

        // WHEN the configuration is read
        Config config = read();

        // THEN context wins over the environment, and the environment over the defaults
        assertEquals("111111111111", config.controlPlaneAccount());
        assertEquals("us-east-1", config.region());
        assertEquals(4, config.maxServersPerOwner());
        assertEquals(
                Optional.of(new Config.Jwt(
                        "https://issuer.example.com", List.of("stackfleet-api"), OwnerClaim.ISSUER_AND_SUBJECT)),
                config.jwt());
    }

    @Test
    void cdkJsonListsAreAccepted() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", List.of("222222222222", "333333333333:500:draining"));

        assertEquals(
                List.of(
                        Config.PoolEntry.open("222222222222"),
                        new Config.PoolEntry("333333333333", 500, PoolAccount.State.DRAINING)),
                read().accountPool());
    }

    @Test
    void eachWorkloadAccountHasACapacityAndAState() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222:100, 333333333333:2500:open, 444444444444:10:draining");

        assertEquals(
                List.of(
                        new Config.PoolEntry("222222222222", 100, PoolAccount.State.OPEN),
                        new Config.PoolEntry("333333333333", 2500, PoolAccount.State.OPEN),
                        new Config.PoolEntry("444444444444", 10, PoolAccount.State.DRAINING)),
                read().accountPool());
    }

    @Test
    void malformedPoolEntriesSayWhatIsWrong() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        for (var bad : List.of(
                List.of("222222222222:lots", "whole number"),
                List.of("222222222222:0", "between 1 and 10000"),
                List.of("222222222222:100:closed", "open or draining"),
                List.of("222222222222:1:open:x", "ACCOUNT[:CAPACITY[:STATE]]"),
                List.of("222222222222,222222222222:5", "twice"))) {
            context.put("workloadAccounts", bad.get(0));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, this::read, bad.get(0));
            assertTrue(error.getMessage().contains(bad.get(1)), error.getMessage());
        }
    }

    @Test
    void aPlacementRegionOtherThanTheControlPlanesIsRefused() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        context.put("placementRegion", "us-east-1");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, this::read);

        assertTrue(
                error.getMessage().contains("aws-sdk tasks call CloudFormation in their own region"),
                error.getMessage());

        context.put("placementRegion", "eu-west-1");
        assertEquals("eu-west-1", read().placementRegion());
    }

    @Test
    void missingWorkloadAccountsNameTheSettingAndWhereToSetIt() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, this::read);

        assertTrue(error.getMessage().contains("workloadAccounts"), error.getMessage());
        assertTrue(error.getMessage().contains("STACKFLEET_WORKLOAD_ACCOUNTS"), error.getMessage());
        assertTrue(error.getMessage().contains("docs/deploy.md"), error.getMessage());
    }

    @Test
    void missingRegionIsReported() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("workloadAccounts", "222222222222");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, this::read);

        assertTrue(error.getMessage().contains("missing setting region"), error.getMessage());
    }

    @Test
    void malformedValuesAreRejected() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "2222");
        assertTrue(assertThrows(IllegalArgumentException.class, this::read)
                .getMessage()
                .contains("12-digit"));

        context.put("workloadAccounts", "222222222222");
        context.put("pollInitialSeconds", "ten");
        assertTrue(assertThrows(IllegalArgumentException.class, this::read)
                .getMessage()
                .contains("pollInitialSeconds"));

        context.put("pollInitialSeconds", "900");
        assertTrue(assertThrows(IllegalArgumentException.class, this::read)
                .getMessage()
                .contains("pollMaxSeconds"));
    }

    @Test
    void theRetiredPlacementAccountSettingIsRefusedWithWhatReplacedIt() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        context.put("placementAccount", "222222222222");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, this::read);

        assertTrue(error.getMessage().contains("most headroom"), error.getMessage());
    }

    @Test
    void ownersAreTheUserPoolsSubjectOrTheIssuerAndSubjectOfAnExternalIssuerOrTheNamedClaim() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        assertEquals(OwnerClaim.SUBJECT, read().ownerClaim(), "Cognito: sub");

        context.put("jwtIssuer", "https://login.example.com/");
        context.put("jwtAudience", "stackfleet-api");
        assertEquals(OwnerClaim.ISSUER_AND_SUBJECT, read().ownerClaim(), "external issuer: iss+sub");

        environment.put("STACKFLEET_OWNER_CLAIM", "oid");
        assertEquals(new OwnerClaim("oid"), read().ownerClaim(), "the named claim");
    }

    @Test
    void ownerClaimNeedsAnExternalIssuerAndAClaimName() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        context.put("ownerClaim", "oid");

        IllegalArgumentException withoutIssuer = assertThrows(IllegalArgumentException.class, this::read);
        context.put("jwtIssuer", "https://login.example.com/");
        context.put("jwtAudience", "stackfleet-api");
        context.put("ownerClaim", "email address");
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class, this::read);

        assertTrue(withoutIssuer.getMessage().contains("ownerClaim"), withoutIssuer.getMessage());
        assertTrue(malformed.getMessage().contains("ownerClaim"), malformed.getMessage());
    }

    @Test
    void issuerWithoutAudienceIsRejected() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        context.put("jwtIssuer", "https://issuer.example.com");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, this::read);

        assertTrue(error.getMessage().contains("jwtAudience"), error.getMessage());
    }

    @Test
    void observerPrincipalsComeFromTheEnvironmentAsAList() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        environment.put(
                "STACKFLEET_OBSERVER_PRINCIPALS",
                "arn:aws:iam::111111111111:role/stackfleet-operators, arn:aws:iam::444444444444:root");

        assertEquals(
                List.of("arn:aws:iam::111111111111:role/stackfleet-operators", "arn:aws:iam::444444444444:root"),
                read().observerPrincipals());
    }

    @Test
    void observerPrincipalsMustBeIamArns() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        for (String bad : List.of(
                "111111111111",
                "arn:aws:sts::111111111111:assumed-role/ops/alice",
                "arn:aws:iam::1111:role/ops",
                "arn:aws:iam::111111111111:role/")) {
            context.put("observerPrincipals", bad);

            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, this::read, bad);

            assertTrue(
                    error.getMessage().contains("observerPrincipals")
                            && error.getMessage().contains(bad),
                    error.getMessage());
        }
    }

    @Test
    void reconcileSettingsComeFromContextAndEnvironment() {
        // GIVEN the required settings, and the reconciler's from both sources
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        environment.put("STACKFLEET_RECONCILE_INTERVAL_MINUTES", "15");
        context.put("stuckAfterSeconds", "900");
        environment.put("STACKFLEET_ORPHAN_GRACE_SECONDS", "7200");
        environment.put("STACKFLEET_DELETE_ORPHANS_AFTER_SECONDS", "86400");

        // WHEN the configuration is read
        Config config = read();

        // THEN each is taken as given
        assertEquals(new Config.Reconcile(15, 900, 7200, OptionalInt.of(86400)), config.reconcile());
    }

    @Test
    void reconcileSettingsOutOfRangeAreRejectedWithTheKeyAndTheRule() {
        context.put("controlPlaneAccount", "111111111111");
        context.put("region", "eu-west-1");
        context.put("workloadAccounts", "222222222222");
        Map<Map<String, String>, List<String>> cases = Map.of(
                Map.of("reconcileIntervalMinutes", "0"), List.of("reconcileIntervalMinutes", "between 1 and 1440"),
                Map.of("reconcileIntervalMinutes", "1441"), List.of("reconcileIntervalMinutes", "1441"),
                Map.of("reconcileIntervalMinutes", "5m"), List.of("reconcileIntervalMinutes", "whole number"),
                Map.of("stuckAfterSeconds", "30"), List.of("stuckAfterSeconds", "at least 60"),
                Map.of("orphanGraceSeconds", "0"), List.of("orphanGraceSeconds", "positive"),
                Map.of("deleteOrphansAfterSeconds", "600"),
                        List.of("deleteOrphansAfterSeconds (600)", "orphanGraceSeconds (3600)", "unset"),
                Map.of("deleteOrphansAfterSeconds", "0"), List.of("deleteOrphansAfterSeconds (0)"));
        cases.forEach((settings, expected) -> {
            context.keySet()
                    .removeAll(List.of(
                            "reconcileIntervalMinutes",
                            "stuckAfterSeconds",
                            "orphanGraceSeconds",
                            "deleteOrphansAfterSeconds"));
            context.putAll(settings);

            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, this::read, settings.toString());

            expected.forEach(part -> assertTrue(error.getMessage().contains(part), error.getMessage()));
        });
    }
}
