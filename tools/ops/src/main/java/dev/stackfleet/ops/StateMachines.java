package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.ExecutionRequest;
import dev.stackfleet.core.Intent;
import dev.stackfleet.core.MalformedItemException;
import dev.stackfleet.core.Workflows;
import java.util.Locale;

/**
 * The two workflows and the ARNs of their executions. Executions are addressed by their deterministic names
 * ({@code <stateMachineArn>:<name>} with {@code stateMachine} replaced by {@code execution}), so that one
 * server's executions are found with DescribeExecution instead of listing a whole state machine.
 *
 * @param provisionArn the provision state machine (create and update), or {@code null} when not configured
 * @param deprovisionArn the deprovision state machine (delete), or {@code null} when not configured
 */
record StateMachines(String provisionArn, String deprovisionArn) {

    /** The state machine that runs an intent; an {@link OpsException} saying how to configure it if unset. */
    String machineFor(Intent intent) {
        boolean delete = intent == Intent.DELETE;
        String arn = delete ? deprovisionArn : provisionArn;
        if (arn == null || arn.isBlank()) {
            String which = delete ? "deprovision" : "provision";
            throw new OpsException("the " + which + " state machine is not configured: pass --" + which
                    + "-state-machine ARN or set " + which.toUpperCase(Locale.ROOT) + "_STATE_MACHINE_ARN"
                    + " (the control plane stack's outputs list both ARNs)");
        }
        return arn;
    }

    /** The ARN the execution with this name has (or would have). */
    String executionArn(ExecutionName name) {
        return Workflows.executionArn(machineFor(name.intent()), name);
    }

    /**
     * The original (un-replayed) execution of the intent a server's item asks for now, with the input the stream
     * Lambda builds from the same item.
     */
    ExecutionRequest requestFor(ServerView server, ExecutionInput.Poll poll) {
        Intent intent = Intent.current(server.deleteRequested(), server.generation());
        String machine = machineFor(intent);
        try {
            ExecutionInput input = ExecutionInput.fromItem(intent, server.item(), poll);
            return new ExecutionRequest(input.name(), machine, input);
        } catch (MalformedItemException e) {
            throw new OpsException("the item of " + server.gameServerId() + " cannot be turned into an execution"
                    + " input (" + e.getMessage() + "): repair the item first");
        }
    }

    /** The execution name at the end of an execution ARN. */
    static String nameOf(String executionArn) {
        return executionArnParts(executionArn)[7];
    }

    /**
     * The colon-separated parts of an execution ARN ({@code arn}, partition, {@code states}, region, account,
     * {@code execution}, state machine, name); an {@link OpsException} if it is not one.
     */
    static String[] executionArnParts(String executionArn) {
        String[] parts = executionArn.split(":");
        if (parts.length != 8 || !"states".equals(parts[2]) || !"execution".equals(parts[5])) {
            throw new OpsException("not a Step Functions execution ARN: " + executionArn
                    + " (expected arn:aws:states:<region>:<account>:execution:<state machine>:<name>)");
        }
        return parts;
    }
}
