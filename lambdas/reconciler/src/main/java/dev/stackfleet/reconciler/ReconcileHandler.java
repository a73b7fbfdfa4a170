package dev.stackfleet.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stackfleet.core.LambdaClients;
import dev.stackfleet.core.aws.AwsJsonClient;
import dev.stackfleet.core.aws.LightSfnClient;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The reconciler Lambda: one {@link Reconciler} pass per invocation.
 *
 * <p><b>Trigger:</b> an EventBridge schedule (every few minutes, the CDK setting {@code reconcileIntervalMinutes}),
 * with a reserved concurrency of one so passes do not pile up; the event's content is ignored.
 *
 * <p><b>Environment</b> (read once, at init; see {@link ReconcileSettings#fromEnvironment}): {@code TABLE_NAME},
 * {@code PROVISION_STATE_MACHINE_ARN}, {@code DEPROVISION_STATE_MACHINE_ARN} (required); {@code WORKLOAD_REGION},
 * {@code WORKLOAD_ACCOUNTS}, {@code POLL_INITIAL_SECONDS}/{@code POLL_MAX_SECONDS} (as the stream Lambda's),
 * {@code STUCK_AFTER_SECONDS} (600), {@code ORPHAN_GRACE_SECONDS} (3600), {@code DELETE_ORPHANS_AFTER_SECONDS}
 * (unset: orphans are only reported), {@code MAX_REPAIRS} (100), {@code TIME_BUDGET_SECONDS} (240).
 *
 * <p><b>Output:</b> one log line per finding, the pass's summary, and its counts as CloudWatch metrics in the
 * embedded metric format (namespace {@value #METRIC_NAMESPACE}: {@code OrphanStacks}, {@code StuckServers},
 * {@code DriftedServers}, {@code Unresolved}, {@code RepairsStarted}), which the CDK app's alarms watch.
 *
 * <p><b>Errors:</b> a problem with one server or one account is a finding ({@code UNRESOLVED}) and the pass goes
 * on; a failure to read the table fails the invocation, and the next scheduled pass tries again.
 */
public class ReconcileHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>, Resource {

    /** The CloudWatch namespace of the pass's metrics. */
    public static final String METRIC_NAMESPACE = "stackfleet";

    /** Writes the metrics line (Jackson's generator: an {@code ObjectMapper} costs a cold start a lot). */
    private static final JsonFactory JSON = new JsonFactory();

    private final Reconciler reconciler;

    /** Used by the Lambda runtime: reads the environment and builds the AWS clients once. */
    public ReconcileHandler() {
        this(ReconcileSettings.fromEnvironment(System.getenv()), LambdaClients.fromEnvironment(System::getenv));
        Core.getGlobalContext().register(this);
    }

    private ReconcileHandler(ReconcileSettings settings, LambdaClients clients) {
        // STS is needed only once a pass reads a workload account's stacks: built then, not at init
        Supplier<StsClient> sts =
                once(() -> clients.configure(StsClient.builder()).build());
        this.reconciler = new Reconciler(
                settings,
                clients.dynamoDb(),
                new LightSfnClient(clients.json(LightSfnClient.STEP_FUNCTIONS, AwsJsonClient.Timeouts.FAIL_FAST)),
                (roleArn, region) -> CloudFormationClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .region(Region.of(region))
                        .credentialsProvider(StsAssumeRoleCredentialsProvider.builder()
                                .stsClient(sts.get())
                                .refreshRequest(r -> r.roleArn(roleArn)
                                        .roleSessionName("stackfleet-reconciler")
                                        .durationSeconds(
                                                (int) Duration.ofMinutes(15).toSeconds()))
                                .build())
                        .build(),
                // each finding is logged as it is found, so a pass that times out still leaves its lines
                Clock.systemUTC(),
                line -> LambdaRuntime.getLogger().log(line));
    }

    /** The value {@code make} gives on the first call, given again on every later one. */
    private static <T> Supplier<T> once(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    /** Used by tests and by local mode. */
    ReconcileHandler(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    /** SnapStart priming: a dry-run pass, which reads what a pass reads and changes nothing. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            ReconcileReport report = reconciler.run(new Reconciler.Options(true, false));
            metrics(report);
            report.toMap();
        } catch (RuntimeException e) {
            // a pass that cannot read the table now still takes its snapshot; the scheduled passes will report it
            LambdaRuntime.getLogger().log("priming pass failed: " + e);
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to renew: the clients re-open connections as they need them
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        ReconcileReport report = reconciler.run(new Reconciler.Options(false, false));
        LambdaLogger logger = context.getLogger();
        logger.log(report.summary());
        logger.log(metrics(report));
        return report.toMap();
    }

    /** The pass's counts as one log line in CloudWatch's embedded metric format. */
    static String metrics(ReconcileReport report) {
        Map<String, Long> counts = report.counts();
        Map<String, Long> values = Map.of(
                "OrphanStacks", counts.get(Finding.Kind.ORPHAN.name()),
                "StuckServers", counts.get(Finding.Kind.STUCK.name()),
                "DriftedServers",
                        counts.get(Finding.Kind.DRIFTED.name())
                                + counts.get(Finding.Kind.STACK_MISSING.name())
                                + counts.get(Finding.Kind.STACK_FAILED.name()),
                "Unresolved", counts.get(Finding.Kind.UNRESOLVED.name()),
                "RepairsStarted",
                        report.findings().stream()
                                .filter(f -> f.action().startsWith("started "))
                                .count());
        StringWriter out = new StringWriter();
        try (JsonGenerator line = JSON.createGenerator(out)) {
            line.writeStartObject();
            line.writeObjectFieldStart("_aws");
            line.writeNumberField("Timestamp", report.startedAt().toEpochMilli());
            line.writeArrayFieldStart("CloudWatchMetrics");
            line.writeStartObject();
            line.writeStringField("Namespace", METRIC_NAMESPACE);
            line.writeArrayFieldStart("Dimensions");
            line.writeStartArray();
            line.writeEndArray();
            line.writeEndArray();
            line.writeArrayFieldStart("Metrics");
            for (String name : values.keySet()) {
                line.writeStartObject();
                line.writeStringField("Name", name);
                line.writeStringField("Unit", "Count");
                line.writeEndObject();
            }
            line.writeEndArray();
            line.writeEndObject();
            line.writeEndArray();
            line.writeEndObject();
            for (Map.Entry<String, Long> value : values.entrySet()) {
                line.writeNumberField(value.getKey(), value.getValue());
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the metrics line", e);
        }
        return out.toString();
    }
}
