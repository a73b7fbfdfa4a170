package dev.stackfleet.local;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.Workflows;
import dev.stackfleet.core.aws.AwsJsonClient;
import dev.stackfleet.core.aws.LightSfnClient;
import dev.stackfleet.reconciler.ReconcileReport;
import dev.stackfleet.reconciler.ReconcileSettings;
import dev.stackfleet.reconciler.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The reconciler in local mode: the scheduled Lambda's pass, against the emulator, every interval, with a progress
 * line for each repair.
 */
public final class LocalReconciler implements AutoCloseable {

    /** How long a server may wait without an execution before a local pass restarts it (creates take seconds). */
    public static final Duration STUCK_AFTER = Duration.ofSeconds(30);
    /** How old a stack without an item must be before a local pass reports it. */
    public static final Duration ORPHAN_GRACE = Duration.ofSeconds(30);

    private final ScheduledExecutorService schedule;

    private LocalReconciler(ScheduledExecutorService schedule) {
        this.schedule = schedule;
    }

    /**
     * The pass for local mode's resources, as the Lambda would run it.
     *
     * @param stuckAfter how long a server may wait without an execution
     * @param orphanGrace how old a stack without an item must be to count as an orphan
     * @param log where each finding goes
     */
    public static Reconciler reconciler(
            LocalAws aws,
            LocalResources.Created resources,
            Duration stuckAfter,
            Duration orphanGrace,
            Consumer<String> log) {
        return new Reconciler(
                settings(resources, stuckAfter, orphanGrace),
                // the deployed Lambda's DynamoDB and Step Functions clients; its CloudFormation ones are SDK clients
                // too
                aws.lambdaClients().dynamoDb(),
                new LightSfnClient(
                        aws.lambdaClients().json(LightSfnClient.STEP_FUNCTIONS, AwsJsonClient.Timeouts.FAIL_FAST)),
                aws::cloudFormationAs,
                Clock.systemUTC(),
                log);
    }

    /** The Lambda's settings for local mode's resources. */
    public static ReconcileSettings settings(
            LocalResources.Created resources, Duration stuckAfter, Duration orphanGrace) {
        return new ReconcileSettings(
                LocalResources.TABLE_NAME,
                LocalResources.ACCOUNT_POOL_TABLE_NAME,
                new Workflows(resources.provisionArn(), resources.deprovisionArn()),
                new ExecutionInput.Poll(LocalControlPlane.POLL_INITIAL_SECONDS, LocalControlPlane.POLL_MAX_SECONDS),
                LocalAws.REGION.id(),
                LocalResources.WORKLOAD_ACCOUNTS,
                ReconcileSettings.OBSERVER_ROLE,
                ReconcileSettings.ACCESS_ROLE,
                stuckAfter,
                orphanGrace,
                null,
                100,
                4,
                Duration.ofMinutes(1));
    }

    /** Runs a pass every {@code interval}, the first one after one interval. */
    public static LocalReconciler every(Duration interval, Reconciler reconciler) {
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "local-reconciler");
            thread.setDaemon(true);
            return thread;
        });
        // Runs until close() shuts the schedule down; a pass reports its own failure, so nothing waits on the future.
        ScheduledFuture<?> unused = schedule.scheduleWithFixedDelay(
                () -> {
                    try {
                        ReconcileReport report = reconciler.run(new Reconciler.Options(false, false));
                        if (!report.findings().isEmpty()) {
                            LocalLog.line("reconcile", report.summary());
                        }
                    } catch (RuntimeException e) {
                        LocalLog.line("reconcile", "pass failed: " + e);
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return new LocalReconciler(schedule);
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
