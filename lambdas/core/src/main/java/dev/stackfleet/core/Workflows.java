package dev.stackfleet.core;

import java.util.Objects;

/**
 * The two state machines and the requests that start them: {@code provision} for create and update,
 * {@code deprovision} for delete (docs/workflows.md).
 *
 * @param provisionArn the provision state machine
 * @param deprovisionArn the deprovision state machine
 */
public record Workflows(String provisionArn, String deprovisionArn) {

    public Workflows {
        Objects.requireNonNull(provisionArn, "provisionArn");
        Objects.requireNonNull(deprovisionArn, "deprovisionArn");
    }

    /** The state machine that runs an intent. */
    public String arnFor(Intent intent) {
        return intent == Intent.DELETE ? deprovisionArn : provisionArn;
    }

    /** The original (not replayed) execution of an input. */
    public ExecutionRequest request(ExecutionInput input) {
        return new ExecutionRequest(input.name(), arnFor(input.intent()), input);
    }

    /** The ARN an execution of this name has (or would have) under a state machine. */
    public static String executionArn(String stateMachineArn, ExecutionName name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }
}
