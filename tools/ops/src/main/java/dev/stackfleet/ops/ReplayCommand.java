package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.stream.ExecutionRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * {@code ops replay <gameserver_id>}: starts a fresh execution of the server's current intent, for an
 * execution that cannot be redriven (older than Step Functions' redrive window, or a stream record that never
 * started one). The name is the intent's with the next free replay counter ({@code -r<n>}), so a replay is
 * as idempotent as the original: starting the same replay twice fails instead of running twice. The input is
 * built from the item as the stream Lambda builds it.
 */
@Command(name = "replay",
        description = "Start a fresh execution for a server's current intent (name suffix -r<n>).")
final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Parameters(paramLabel = "GAMESERVER_ID", description = "The server to replay.")
    String gameServerId;

    @Option(names = "--owner", paramLabel = "USERNAME",
            description = "The server's owner, if known: saves looking it up.")
    String owner;

    @Option(names = "--poll-initial-seconds", paramLabel = "N", defaultValue = "${env:POLL_INITIAL_SECONDS:-5}",
            description = "First stack poll interval (env POLL_INITIAL_SECONDS). Default: ${DEFAULT-VALUE}.")
    int pollInitialSeconds;

    @Option(names = "--poll-max-seconds", paramLabel = "N", defaultValue = "${env:POLL_MAX_SECONDS:-60}",
            description = "Cap of the growing poll interval (env POLL_MAX_SECONDS). Default: ${DEFAULT-VALUE}.")
    int pollMaxSeconds;

    @Option(names = "--dry-run", description = "Print the execution that would start, and start nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        ServerView server = ops.locator().find(gameServerId, owner).orElseThrow(() -> new OpsException(
                "no item for " + gameServerId + ": a replay is built from the item; for a deleted item, redrive"
                        + " its failed delete execution instead (./stackfleet ops executions " + gameServerId + ")"));
        ExecutionRequest original = ExecutionInput.of(server, ops.machines(), pollInitialSeconds, pollMaxSeconds);
        List<Execution> attempts = ops.executions().attempts(original.name());
        attempts.stream().filter(e -> "RUNNING".equals(e.status())).findFirst().ifPresent(running -> {
            throw new OpsException(running.name() + " is still running: wait for it, or stop it first"
                    + " (aws stepfunctions stop-execution --execution-arn " + running.arn() + ")");
        });
        int replay = attempts.stream().mapToInt(e -> ExecutionName.parse(e.name()).replay()).max().orElse(0) + 1;
        ExecutionName name = original.name().replayed(replay);
        String input = original.input();
        String arn = dryRun ? ops.machines().executionArn(name) : start(original.stateMachineArn(), name, input);
        if (ops.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("started", !dryRun);
            result.put("executionArn", arn);
            result.put("input", Json.parse(input, "the replay input"));
            Json.print(ops.out(), result);
        } else {
            ops.out().println((dryRun ? "would start  " : "started  ") + arn);
            ops.out().println("input    " + input);
            if (!dryRun) {
                ops.out().println("follow   ./stackfleet ops history " + arn);
            }
            ops.out().flush();
        }
        return 0;
    }

    private String start(String machine, ExecutionName name, String input) {
        return AwsCall.call("states:StartExecution", machine, () -> {
            try {
                return ops.clients().sfn().startExecution(b -> b.stateMachineArn(machine).name(name.toString())
                        .input(input)).executionArn();
            } catch (ExecutionAlreadyExistsException e) {
                throw new OpsException(name + " was started meanwhile by someone else: see ./stackfleet ops"
                        + " executions " + gameServerId);
            }
        });
    }
}
