package dev.stackfleet.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileSettingsTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "TABLE_NAME", "gameservers",
            "ACCOUNT_POOL_TABLE_NAME", "workload-accounts",
            "PROVISION_STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:111111111111:stateMachine:provision",
            "DEPROVISION_STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:111111111111:stateMachine:deprovision",
            "AWS_REGION", "eu-west-1");

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        ReconcileSettings settings = ReconcileSettings.fromEnvironment(REQUIRED);

        assertEquals("eu-west-1", settings.region());
        assertEquals("workload-accounts", settings.accountPoolTableName());
        assertEquals(List.of(), settings.workloadAccounts());
        assertEquals(120, settings.poll().initialSeconds());
        assertEquals(480, settings.poll().maxSeconds());
        assertEquals(Duration.ofMinutes(10), settings.stuckAfter());
        assertEquals(Duration.ofHours(1), settings.orphanGrace());
        assertNull(settings.deleteOrphansAfter(), "orphans are only reported unless asked");
        assertEquals(100, settings.maxRepairs());
        assertEquals(Duration.ofMinutes(4), settings.timeBudget());
        assertEquals(
                "arn:aws:iam::222222222222:role/stackfleet-workload-observer",
                settings.observerRoleArn("222222222222"));
    }

    @Test
    void everySettingIsRead() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.putAll(Map.of(
                "WORKLOAD_REGION",
                "eu-central-1",
                "WORKLOAD_ACCOUNTS",
                "222222222222, 333333333333",
                "POLL_INITIAL_SECONDS",
                "1",
                "POLL_MAX_SECONDS",
                "2",
                "STUCK_AFTER_SECONDS",
                "30",
                "ORPHAN_GRACE_SECONDS",
                "60",
                "DELETE_ORPHANS_AFTER_SECONDS",
                "86400",
                "MAX_REPAIRS",
                "5",
                "TIME_BUDGET_SECONDS",
                "50"));

        ReconcileSettings settings = ReconcileSettings.fromEnvironment(env);

        assertEquals("eu-central-1", settings.region());
        assertEquals(List.of("222222222222", "333333333333"), settings.workloadAccounts());
        assertEquals(2, settings.poll().maxSeconds());
        assertEquals(Duration.ofSeconds(30), settings.stuckAfter());
        assertEquals(Duration.ofDays(1), settings.deleteOrphansAfter());
        assertEquals(5, settings.maxRepairs());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ReconcileSettings.fromEnvironment(Map.of("STUCK_AFTER_SECONDS", "ten", "AWS_REGION", "x")));

        assertEquals(
                "The reconciler cannot start: environment variable TABLE_NAME is not set; environment"
                        + " variable ACCOUNT_POOL_TABLE_NAME is not set; environment"
                        + " variable PROVISION_STATE_MACHINE_ARN is not set; environment variable"
                        + " DEPROVISION_STATE_MACHINE_ARN is not set; STUCK_AFTER_SECONDS must be a whole number, got 'ten'",
                e.getMessage());
    }
}
