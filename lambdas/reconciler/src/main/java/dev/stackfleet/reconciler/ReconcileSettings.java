package dev.stackfleet.reconciler;

import dev.stackfleet.core.EnvironmentReader;
import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.Workflows;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a reconcile pass runs: what it reads, when a server counts as stuck or a stack as an orphan, and its bounds.
 * The Lambda reads it from the environment set by the CDK app ({@link #fromEnvironment}); local mode and the ops
 * command build it from their own options.
 *
 * @param tableName the game server table
 * @param accountPoolTableName the account pool: which accounts are quarantined
 * @param workflows the two state machines
 * @param poll the poll interval the stream Lambda passes, so that a start here has the same input as the stream's
 * @param region the workload region whose stacks are listed
 * @param workloadAccounts accounts whose stacks are listed for orphans, besides those servers are placed in
 * @param observerRoleName the read-only role assumed in each workload account to list its stacks
 * @param accessRoleName the workflows' role in each workload account (an orphan's deprovision assumes it)
 * @param stuckAfter how long a pending or in-progress server may go unchanged with no execution running
 * @param orphanGrace how old a stack without an item must be before it counts as an orphan
 * @param deleteOrphansAfter how old an orphan must be before a pass deletes it on its own, or {@code null}: never
 * @param maxRepairs most executions one pass starts
 * @param concurrency items checked at once
 * @param timeBudget when a pass stops starting new work
 */
public record ReconcileSettings(
        String tableName,
        String accountPoolTableName,
        Workflows workflows,
        ExecutionInput.Poll poll,
        String region,
        List<String> workloadAccounts,
        String observerRoleName,
        String accessRoleName,
        Duration stuckAfter,
        Duration orphanGrace,
        Duration deleteOrphansAfter,
        int maxRepairs,
        int concurrency,
        Duration timeBudget) {

    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String ACCOUNT_POOL_TABLE_NAME = "ACCOUNT_POOL_TABLE_NAME";
    public static final String PROVISION_STATE_MACHINE_ARN = "PROVISION_STATE_MACHINE_ARN";
    public static final String DEPROVISION_STATE_MACHINE_ARN = "DEPROVISION_STATE_MACHINE_ARN";
    public static final String POLL_INITIAL_SECONDS = "POLL_INITIAL_SECONDS";
    public static final String POLL_MAX_SECONDS = "POLL_MAX_SECONDS";
    public static final String WORKLOAD_REGION = "WORKLOAD_REGION";
    public static final String WORKLOAD_ACCOUNTS = "WORKLOAD_ACCOUNTS";
    public static final String STUCK_AFTER_SECONDS = "STUCK_AFTER_SECONDS";
    public static final String ORPHAN_GRACE_SECONDS = "ORPHAN_GRACE_SECONDS";
    public static final String DELETE_ORPHANS_AFTER_SECONDS = "DELETE_ORPHANS_AFTER_SECONDS";
    public static final String MAX_REPAIRS = "MAX_REPAIRS";
    public static final String TIME_BUDGET_SECONDS = "TIME_BUDGET_SECONDS";

    private static final String COMPONENT = "the reconciler";

    /** The read-only role of {@code templates/workload-access.yaml}. */
    public static final String OBSERVER_ROLE = "stackfleet-workload-observer";
    /** The workflows' role of {@code templates/workload-access.yaml}. */
    public static final String ACCESS_ROLE = "stackfleet-workload-access";

    public ReconcileSettings {
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(accountPoolTableName, "accountPoolTableName");
        Objects.requireNonNull(workflows, "workflows");
        Objects.requireNonNull(poll, "poll");
        Objects.requireNonNull(region, "region");
        workloadAccounts = List.copyOf(workloadAccounts);
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        Objects.requireNonNull(orphanGrace, "orphanGrace");
        if (maxRepairs < 1 || concurrency < 1 || timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("maxRepairs, concurrency and the time budget must be positive");
        }
    }

    /**
     * Reads the Lambda's environment; names every missing or malformed variable at once.
     *
     * @throws IllegalStateException when a required variable is missing or a number is malformed
     */
    public static ReconcileSettings fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        String table = reader.required(TABLE_NAME);
        String accountPool = reader.required(ACCOUNT_POOL_TABLE_NAME);
        String provision = reader.required(PROVISION_STATE_MACHINE_ARN);
        String deprovision = reader.required(DEPROVISION_STATE_MACHINE_ARN);
        String region = reader.optional(WORKLOAD_REGION, reader.optional("AWS_REGION", null));
        if (region == null) {
            reader.problem("environment variable " + WORKLOAD_REGION + " (or AWS_REGION) is not set");
        }
        int pollInitial = reader.number(POLL_INITIAL_SECONDS, ExecutionInput.Poll.DEFAULT_INITIAL_SECONDS);
        int pollMax = reader.number(POLL_MAX_SECONDS, ExecutionInput.Poll.DEFAULT_MAX_SECONDS);
        int stuckAfter = reader.number(STUCK_AFTER_SECONDS, 600);
        int orphanGrace = reader.number(ORPHAN_GRACE_SECONDS, 3600);
        int deleteAfter = reader.number(DELETE_ORPHANS_AFTER_SECONDS, 0);
        int maxRepairs = reader.number(MAX_REPAIRS, 100);
        int budget = reader.number(TIME_BUDGET_SECONDS, 240);
        reader.check(COMPONENT);
        List<String> accounts = Arrays.stream(
                        reader.optional(WORKLOAD_ACCOUNTS, "").split(","))
                .map(String::trim)
                .filter(a -> !a.isEmpty())
                .toList();
        try {
            return new ReconcileSettings(
                    table,
                    accountPool,
                    new Workflows(provision, deprovision),
                    new ExecutionInput.Poll(pollInitial, pollMax),
                    region,
                    accounts,
                    OBSERVER_ROLE,
                    ACCESS_ROLE,
                    Duration.ofSeconds(stuckAfter),
                    Duration.ofSeconds(orphanGrace),
                    deleteAfter > 0 ? Duration.ofSeconds(deleteAfter) : null,
                    maxRepairs,
                    4,
                    Duration.ofSeconds(budget));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(EnvironmentReader.cannotStart(COMPONENT, e.getMessage()), e);
        }
    }

    /** The observer role in a workload account. */
    String observerRoleArn(String accountId) {
        return "arn:aws:iam::" + accountId + ":role/" + observerRoleName;
    }

    /** The access role in a workload account. */
    String accessRoleArn(String accountId) {
        return "arn:aws:iam::" + accountId + ":role/" + accessRoleName;
    }
}
