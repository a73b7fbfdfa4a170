package dev.stackfleet.stream;

import dev.stackfleet.core.ExecutionName;
import java.util.Objects;

/**
 * One StartExecution call, fully determined by the stream record: the same record always gives the same
 * request, which is what makes a redelivered record start nothing new.
 *
 * @param username the server's owner
 * @param gameServerId the server
 * @param name the deterministic execution name
 * @param stateMachineArn provision or deprovision
 * @param input the execution input as JSON (docs/contracts.md, "Executions")
 */
public record ExecutionRequest(String username, String gameServerId, ExecutionName name, String stateMachineArn,
                               String input) {
    public ExecutionRequest {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(gameServerId, "gameServerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stateMachineArn, "stateMachineArn");
        Objects.requireNonNull(input, "input");
    }
}
