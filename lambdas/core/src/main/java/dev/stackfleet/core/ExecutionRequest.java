package dev.stackfleet.core;

import java.util.Objects;

/**
 * One StartExecution call: fully determined by the item it was built from, so the same item always gives the
 * same request, which is what makes a repeated start of one intent start nothing new.
 *
 * @param name the execution name: the intent's deterministic name, or one of its replays
 * @param stateMachineArn provision or deprovision
 * @param input the execution input
 */
public record ExecutionRequest(ExecutionName name, String stateMachineArn, ExecutionInput input) {

    public ExecutionRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stateMachineArn, "stateMachineArn");
        Objects.requireNonNull(input, "input");
    }

    /** The n-th replay of this request's intent: same machine and input, name suffixed {@code -r<n>}. */
    public ExecutionRequest replayed(int replay) {
        return new ExecutionRequest(name.replayed(replay), stateMachineArn, input);
    }

    /** The ARN the execution has (or would have). */
    public String executionArn() {
        return Workflows.executionArn(stateMachineArn, name);
    }
}
