package dev.stackfleet.cdk;

import static dev.stackfleet.cdk.SynthesizedApp.logicalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The reconciler's synthesized environment, read by the reconciler's own configuration reader from the jar the
 * app deploys: every name is one the handler knows, every setting arrives as configured, and its executions get
 * the stream Lambda's poll interval. Settings other than the handler's defaults, so that a misspelt name cannot
 * pass unnoticed behind a default.
 */
class ReconcilerEnvironmentTest {

    private static final String SETTINGS = "dev.stackfleet.reconciler.ReconcileSettings";

    private static final Config CONFIG = new Config(
            "111111111111",
            "eu-west-1",
            List.of(Config.PoolEntry.open("222222222222"), Config.PoolEntry.open("333333333333")),
            10,
            7,
            45,
            8,
            Optional.empty(),
            50,
            100,
            Optional.empty(),
            List.of(),
            new Config.Reconcile(10, 900, 7200, OptionalInt.of(86400)));

    private static ControlPlaneStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        stack = new ControlPlaneStack(new App(), "ReconcilerSettings", CONFIG, ProjectFiles.locate());
        template = Template.fromStack(stack);
    }

    @Test
    void theReconcilerReadsEverySettingAsConfigured() throws Exception {
        // GIVEN the reconciler's environment as synthesized (references to resources become their logical ids)
        Map<String, String> environment = environmentOf(stack.reconciler().handler());

        try (DeployedJar jar = new DeployedJar(ProjectFiles.RECONCILER_JAR)) {
            // THEN every variable is one the reconciler declares
            Set<String> known = new TreeSet<>(jar.constants(SETTINGS).values());
            Set<String> unknown = new TreeSet<>(environment.keySet());
            unknown.removeAll(known);
            assertEquals(Set.of("JAVA_TOOL_OPTIONS"), unknown, "names the reconciler does not read");

            // WHEN the reconciler reads it
            Map<String, Object> settings = DeployedJar.components(jar.fromEnvironment(SETTINGS, environment));

            // THEN each setting is the configured one
            assertEquals(ref(stack.table().table()), settings.get("tableName"));
            assertEquals(ref(stack.accountPool().table()), settings.get("accountPoolTableName"));
            assertEquals(
                    Map.of(
                            "provisionArn", ref(stack.workflows().provision()),
                            "deprovisionArn", ref(stack.workflows().deprovision())),
                    settings.get("workflows"));
            assertEquals("eu-west-1", settings.get("region"), "the placement region: the control plane's own");
            assertEquals(List.of("222222222222", "333333333333"), settings.get("workloadAccounts"));
            assertEquals(ScheduledReconciler.WORKLOAD_OBSERVER_ROLE_NAME, settings.get("observerRoleName"));
            assertEquals(Workflows.WORKLOAD_ACCESS_ROLE_NAME, settings.get("accessRoleName"));
            assertEquals(Duration.ofMinutes(15), settings.get("stuckAfter"));
            assertEquals(Duration.ofHours(2), settings.get("orphanGrace"));
            assertEquals(Duration.ofDays(1), settings.get("deleteOrphansAfter"));
            assertEquals(ScheduledReconciler.MAX_REPAIRS, settings.get("maxRepairs"));
            assertEquals(Duration.ofSeconds(ScheduledReconciler.TIME_BUDGET_SECONDS), settings.get("timeBudget"));
            assertEquals(Map.of("initialSeconds", 7, "maxSeconds", 45), settings.get("poll"));
            // AND the metrics the alarms watch are in the namespace the handler writes to
            assertEquals(
                    jar.constants("dev.stackfleet.reconciler.ReconcileHandler").get("METRIC_NAMESPACE"),
                    ScheduledReconciler.METRIC_NAMESPACE);
        }
    }

    @Test
    void reconcilerAndStreamStartExecutionsWithTheSamePollInterval() throws Exception {
        // GIVEN both functions' synthesized environments
        Map<String, String> reconciler = environmentOf(stack.reconciler().handler());
        Map<String, String> stream = environmentOf(stack.streamTrigger().handler());

        // WHEN each handler reads its own
        Object reconcilerPoll;
        Object streamPoll;
        try (DeployedJar jar = new DeployedJar(ProjectFiles.RECONCILER_JAR)) {
            reconcilerPoll = DeployedJar.components(jar.fromEnvironment(SETTINGS, reconciler))
                    .get("poll");
        }
        try (DeployedJar jar = new DeployedJar(ProjectFiles.STREAM_JAR)) {
            Object config = jar.fromEnvironment("dev.stackfleet.stream.StreamConfig", stream);
            streamPoll =
                    DeployedJar.components(config.getClass().getMethod("poll").invoke(config));
        }

        // THEN the poll interval in their execution inputs is the same, and the configured one
        assertEquals(streamPoll, reconcilerPoll);
        assertEquals(Map.of("initialSeconds", 7, "maxSeconds", 45), streamPoll);
    }

    @Test
    void scheduleAndAlarmPeriodFollowTheInterval() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(10 minutes)"));
        for (String metric : List.of("OrphanStacks", "StuckServers")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", metric, "Period", 600));
        }
    }

    @Test
    void withoutOrphanDeletionTheVariableIsLeftOut() throws Exception {
        // GIVEN the shared app, whose reconciler settings are the defaults
        ControlPlaneStack defaults = SynthesizedApp.get().controlPlane();
        Map<String, String> environment = environmentOf(defaults.reconciler().handler());

        // THEN the variable is absent, which the reconciler reads as "never delete orphans on its own"
        assertFalse(environment.containsKey("DELETE_ORPHANS_AFTER_SECONDS"), environment.toString());
        try (DeployedJar jar = new DeployedJar(ProjectFiles.RECONCILER_JAR)) {
            Map<String, Object> settings = DeployedJar.components(jar.fromEnvironment(SETTINGS, environment));
            assertEquals(null, settings.get("deleteOrphansAfter"));
            assertEquals(Duration.ofMinutes(10), settings.get("stuckAfter"));
            assertEquals(Duration.ofHours(1), settings.get("orphanGrace"));
            assertEquals("eu-west-1", settings.get("region"));
        }
    }

    /** A function's environment variables, each reference to a resource written as {@code Ref:<logical id>}. */
    private static Map<String, String> environmentOf(JavaFunction function) {
        Template synthesized = Template.fromStack(software.amazon.awscdk.Stack.of(function));
        Map<?, ?> properties = (Map<?, ?>) synthesized
                .findResources("AWS::Lambda::Function")
                .get(logicalId(function.function()))
                .get("Properties");
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) properties.get("Environment")).get("Variables");
        Map<String, String> environment = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (value instanceof Map<?, ?> reference) {
                assertTrue(reference.containsKey("Ref"), name + " is a reference, not a value: " + value);
                environment.put(name.toString(), "Ref:" + reference.get("Ref"));
            } else {
                environment.put(name.toString(), value.toString());
            }
        });
        return environment;
    }

    private static String ref(software.constructs.IConstruct resource) {
        return "Ref:" + logicalId(resource);
    }
}
