package dev.stackfleet.reconciler;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.Workflows;
import java.time.Duration;
import java.util.ArrayList;
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

    /** The read-only role of {@code templates/workload-access.yaml}. */
    public static final String OBSERVER_ROLE = "stackfleet-workload-observer";
    /** The workflows' role of {@code templates/workload-access.yaml}. */
    public static final String ACCESS_ROLE = "stackfleet-workload-access";

    public ReconcileSettings {
        Objects.requireNonNull(tableName, "tableName");
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
        List<String> problems = new ArrayList<>();
        String table = required(env, TABLE_NAME, problems);
        String provision = required(env, PROVISION_STATE_MACHINE_ARN, problems);
        String deprovision = required(env, DEPROVISION_STATE_MACHINE_ARN, problems);
        String region = env.getOrDefault(WORKLOAD_REGION, env.get("AWS_REGION"));
        if (region == null || region.isBlank()) {
            problems.add("environment variable " + WORKLOAD_REGION + " (or AWS_REGION) is not set");
        }
        int pollInitial = number(env, POLL_INITIAL_SECONDS, 5, problems);
        int pollMax = number(env, POLL_MAX_SECONDS, 60, problems);
        int stuckAfter = number(env, STUCK_AFTER_SECONDS, 600, problems);
        int orphanGrace = number(env, ORPHAN_GRACE_SECONDS, 3600, problems);
        int deleteAfter = number(env, DELETE_ORPHANS_AFTER_SECONDS, 0, problems);
        int maxRepairs = number(env, MAX_REPAIRS, 100, problems);
        int budget = number(env, TIME_BUDGET_SECONDS, 240, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The reconciler cannot start: " + String.join("; ", problems));
        }
        List<String> accounts = Arrays.stream(env.getOrDefault(WORKLOAD_ACCOUNTS, "").split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).toList();
        try {
            return new ReconcileSettings(table, new Workflows(provision, deprovision),
                    new ExecutionInput.Poll(pollInitial, pollMax), region.trim(), accounts, OBSERVER_ROLE,
                    ACCESS_ROLE, Duration.ofSeconds(stuckAfter), Duration.ofSeconds(orphanGrace),
                    deleteAfter > 0 ? Duration.ofSeconds(deleteAfter) : null, maxRepairs, 4,
                    Duration.ofSeconds(budget));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The reconciler cannot start: " + e.getMessage(), e);
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

    private static String required(Map<String, String> env, String name, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            problems.add("environment variable " + name + " is not set");
            return null;
        }
        return value.trim();
    }

    private static int number(Map<String, String> env, String name, int fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + value + "'");
            return fallback;
        }
    }
}
