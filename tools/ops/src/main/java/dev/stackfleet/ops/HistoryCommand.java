package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionName;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ops history <execution-arn | gameserver_id>}: one screen that says why an execution failed: its
 * state timeline with durations and retries, the failing state's error and cause, and the failed resource's
 * events from the server's stack in its workload account. The stack is read by assuming a read-only role in
 * the placement account of the execution input ({@code stackfleet-workload-observer} unless
 * {@code --stack-reader-role} names another), never the placement's access role, which only the workflow
 * may assume. For a server id, the execution is the one that wrote the server's status, else its newest.
 */
@Command(name = "history", description = "Show an execution's timeline and, for a failure, why it failed.")
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Parameters(
            paramLabel = "EXECUTION_ARN|GAMESERVER_ID",
            description = "An execution ARN, or a server id for the execution that wrote its status.")
    String target;

    @Option(
            names = "--owner",
            paramLabel = "OWNER",
            description = "The server's owner, if known (with a server id): saves looking it up.")
    String owner;

    @Option(
            names = "--stack-reader-role",
            paramLabel = "NAME",
            defaultValue = WorkloadStack.OBSERVER_ROLE,
            description = "The role to assume in the server's workload account to read its stack."
                    + " Default: ${DEFAULT-VALUE}.")
    String stackReaderRole;

    @Override
    public Integer call() {
        ServerExecutions executions = ops.executions();
        Execution execution = executions.describeExisting(executionArn(executions));
        ExecutionTimeline timeline = ExecutionTimeline.read(ops.clients().sfn(), execution.arn(), ops.err());
        WorkloadStack stack = timeline.failure().isPresent()
                ? WorkloadStack.forExecution(ops.clients(), execution, stackReaderRole)
                : null;
        if (ops.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("execution", execution);
            result.put("consoleUrl", ConsoleUrlCommand.of(execution.arn()));
            result.put("states", timeline.states());
            result.put("failure", timeline.failure().orElse(null));
            result.put("stack", stack);
            Json.print(ops.out(), result);
        } else {
            print(ops.out(), execution, timeline, stack, Instant.now());
        }
        return 0;
    }

    private String executionArn(ServerExecutions executions) {
        if (target.startsWith("arn:")) {
            return target;
        }
        ServerView server = ops.locator().find(target, owner).orElse(null);
        if (server != null && server.executionArn() != null) {
            return server.executionArn();
        }
        return executions
                .of(target, server == null ? OptionalLong.empty() : OptionalLong.of(server.generation()))
                .stream()
                .max(Comparator.comparing(Execution::startDate))
                .map(Execution::arn)
                .orElseThrow(() -> new OpsException(
                        "no execution found for " + target + ": check the id and the state machine ARNs"));
    }

    static void print(PrintWriter out, Execution e, ExecutionTimeline timeline, WorkloadStack stack, Instant now) {
        out.println("execution  " + e.arn());
        out.println("status     " + e.status() + "  started " + e.startDate() + "  took "
                + Formats.duration(e.duration(now)) + "  redriven " + (e.redriveCount() == null ? 0 : e.redriveCount())
                + " times");
        out.println("console    " + ConsoleUrlCommand.of(e.arn()));
        out.println();
        TextTable states = new TextTable("STATE", "TYPE", "AT", "DURATION", "ATTEMPTS", "RESULT");
        for (ExecutionTimeline.StateVisit v : timeline.states()) {
            states.row(
                    v.state(),
                    v.type(),
                    "+" + Formats.duration(Duration.between(e.startDate(), v.entered())),
                    Formats.duration(v.duration()),
                    v.attempts() == 0 ? null : v.attempts(),
                    v.error() != null ? "error " + v.error() : v.exited() == null ? "not left" : "ok");
        }
        states.print(out);
        timeline.failure().ifPresent(f -> {
            out.println();
            out.println("why it failed");
            out.println("  state   " + f.state() + (f.attempts() > 1 ? " (" + f.attempts() + " attempts)" : ""));
            out.println("  error   " + f.error() + ": " + f.cause());
            if (f.taskError() != null) {
                out.println("  task    " + f.taskError() + ": " + f.taskCause());
            }
        });
        if (stack != null) {
            out.println();
            out.println("stack " + stack.stackName() + " in account " + stack.accountId() + " " + stack.region()
                    + " (as " + stack.roleArn() + ")");
            if (stack.unavailable() != null) {
                out.println("  not readable: " + stack.unavailable());
            } else {
                out.println("  status  " + stack.status()
                        + (stack.statusReason() == null ? "" : "  " + stack.statusReason()));
                if (!stack.events().isEmpty()) {
                    TextTable events = new TextTable("  TIME", "RESOURCE", "TYPE", "STATUS", "REASON");
                    for (WorkloadStack.Event ev : stack.events()) {
                        events.row("  " + ev.timestamp(), ev.logicalId(), ev.resourceType(), ev.status(), ev.reason());
                    }
                    events.print(out);
                }
            }
        }
        if (timeline.failure().isPresent()) {
            out.println();
            out.println("next     " + nextStep(e, timeline));
        }
        out.flush();
    }

    /** What the operator can do about a failed execution: replay it when redrive cannot help, else redrive. */
    static String nextStep(Execution e, ExecutionTimeline timeline) {
        if (timeline.failStateEnd().isPresent()) {
            return timeline.failStateEnd().get().explanation() + ": fix the cause, then ./stackfleet ops replay "
                    + serverIdOf(e.name());
        }
        if ("NOT_REDRIVABLE".equals(e.redriveStatus())) {
            return "it cannot be redriven (" + e.redriveStatusReason() + "): fix the cause, then"
                    + " ./stackfleet ops replay " + serverIdOf(e.name());
        }
        return "fix the cause, then ./stackfleet ops redrive " + e.arn() + "  (or ./stackfleet ops replay "
                + serverIdOf(e.name()) + " for a fresh start)";
    }

    private static String serverIdOf(String executionName) {
        try {
            return ExecutionName.parse(executionName).gameServerId();
        } catch (IllegalArgumentException notStackfleets) {
            return "<gameserver_id>";
        }
    }
}
