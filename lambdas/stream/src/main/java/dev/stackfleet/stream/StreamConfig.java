package dev.stackfleet.stream;

import dev.stackfleet.core.EnvironmentReader;
import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.Workflows;
import java.util.Map;

/**
 * The stream Lambda's configuration, read once from the environment set by the CDK app
 * (names and defaults in docs/contracts.md, "Lambda environment").
 *
 * @param provisionStateMachineArn state machine for {@code create} and {@code update}
 * @param deprovisionStateMachineArn state machine for {@code delete}
 * @param deadLetterQueueUrl SQS queue for records that can never start an execution
 * @param pollInitialSeconds first wait of the workflows' stack polling loop
 * @param pollMaxSeconds cap of that wait
 * @param maxConcurrentStarts most StartExecution calls in flight at once
 */
public record StreamConfig(
        String provisionStateMachineArn,
        String deprovisionStateMachineArn,
        String deadLetterQueueUrl,
        int pollInitialSeconds,
        int pollMaxSeconds,
        int maxConcurrentStarts) {

    public static final String PROVISION_STATE_MACHINE_ARN = "PROVISION_STATE_MACHINE_ARN";
    public static final String DEPROVISION_STATE_MACHINE_ARN = "DEPROVISION_STATE_MACHINE_ARN";
    public static final String DEAD_LETTER_QUEUE_URL = "DEAD_LETTER_QUEUE_URL";
    public static final String POLL_INITIAL_SECONDS = "POLL_INITIAL_SECONDS";
    public static final String POLL_MAX_SECONDS = "POLL_MAX_SECONDS";
    public static final String MAX_CONCURRENT_STARTS = "MAX_CONCURRENT_STARTS";

    private static final String COMPONENT = "the stream Lambda";

    public StreamConfig {
        if (isBlank(provisionStateMachineArn) || isBlank(deprovisionStateMachineArn) || isBlank(deadLetterQueueUrl)) {
            throw new IllegalArgumentException("State machine ARNs and the dead-letter queue URL are required");
        }
        if (pollInitialSeconds < 1 || pollMaxSeconds < pollInitialSeconds) {
            throw new IllegalArgumentException("Need 1 <= " + POLL_INITIAL_SECONDS + " <= " + POLL_MAX_SECONDS
                    + ", got " + pollInitialSeconds + " and " + pollMaxSeconds);
        }
        if (maxConcurrentStarts < 1) {
            throw new IllegalArgumentException(
                    MAX_CONCURRENT_STARTS + " must be at least 1, got " + maxConcurrentStarts);
        }
    }

    /**
     * The same settings aimed at state machines and a queue that do not exist (the names with a suffix no deployment
     * uses): the SnapStart priming's starts are refused, so it starts and sends nothing.
     */
    StreamConfig unreachable() {
        String suffix = "-snapstart-priming-does-not-exist";
        return new StreamConfig(
                provisionStateMachineArn + suffix,
                deprovisionStateMachineArn + suffix,
                deadLetterQueueUrl + suffix,
                pollInitialSeconds,
                pollMaxSeconds,
                maxConcurrentStarts);
    }

    /** The state machines to start. */
    public Workflows workflows() {
        return new Workflows(provisionStateMachineArn, deprovisionStateMachineArn);
    }

    /** The poll interval passed to the workflows. */
    public ExecutionInput.Poll poll() {
        return new ExecutionInput.Poll(pollInitialSeconds, pollMaxSeconds);
    }

    /**
     * Reads the configuration; names every missing or malformed variable at once.
     *
     * @throws IllegalStateException when a required variable is missing or a number is malformed
     */
    public static StreamConfig fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        String provision = reader.required(PROVISION_STATE_MACHINE_ARN);
        String deprovision = reader.required(DEPROVISION_STATE_MACHINE_ARN);
        String deadLetters = reader.required(DEAD_LETTER_QUEUE_URL);
        int pollInitial = reader.number(POLL_INITIAL_SECONDS, ExecutionInput.Poll.DEFAULT_INITIAL_SECONDS);
        int pollMax = reader.number(POLL_MAX_SECONDS, ExecutionInput.Poll.DEFAULT_MAX_SECONDS);
        int maxStarts = reader.number(MAX_CONCURRENT_STARTS, 8);
        reader.check(COMPONENT);
        try {
            return new StreamConfig(provision, deprovision, deadLetters, pollInitial, pollMax, maxStarts);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(EnvironmentReader.cannotStart(COMPONENT, e.getMessage()), e);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
