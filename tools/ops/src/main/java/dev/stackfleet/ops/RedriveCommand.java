package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.Intent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ops redrive <execution-arn>} and {@code ops redrive --failed [--since T] [--yes]}: Step Functions
 * RedriveExecution, which resumes a failed execution from the state that failed.
 *
 * <p>The bulk form takes its executions from the table, not from ListExecutions: the {@code execution_arn}
 * of every {@code *_FAILED} server, so that only the execution a server is actually stuck on is redriven. An
 * execution whose generation was superseded is skipped (and the single form refuses it without
 * {@code --force}): redriving an old update would converge the stack back to an old config. The bulk form is a
 * dry run unless {@code --yes} is given; it redrives with bounded concurrency and ends with a summary.
 */
@Command(name = "redrive",
        description = "Redrive a failed execution, or every failed server's execution (--failed).")
final class RedriveCommand implements Callable<Integer> {

    private static final Set<String> REDRIVABLE_STATUSES = Set.of("FAILED", "TIMED_OUT", "ABORTED");

    @ParentCommand
    OpsMain ops;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "EXECUTION_ARN", description = "The execution to redrive.")
    String executionArn;

    @Option(names = "--failed", description = "Redrive the execution of every *_FAILED server.")
    boolean failed;

    @Option(names = "--since", paramLabel = "TIME", converter = Since.class,
            description = "With --failed: only servers that failed since TIME (30m, 2h, 1d or ISO-8601).")
    Instant since;

    @Option(names = "--yes", description = "With --failed: act; without it the bulk form only shows its plan.")
    boolean yes;

    @Option(names = "--force", description = "Redrive even an execution whose generation was superseded.")
    boolean force;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
            description = "With --failed: redrives in flight at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    /**
     * The outcome for one execution.
     *
     * @param gameServerId the server
     * @param executionArn the execution
     * @param outcome {@code redriven}, {@code would-redrive}, {@code skipped} or {@code failed}
     * @param detail why it was skipped or failed, or when it was redriven
     */
    record Result(String gameServerId, String executionArn, String outcome, String detail) {
    }

    @Override
    public Integer call() {
        if ((executionArn == null) == !failed) {
            throw new ParameterException(spec.commandLine(), "give either an EXECUTION_ARN or --failed");
        }
        return failed ? redriveFailedServers() : redriveOne();
    }

    private int redriveOne() {
        ServerExecutions executions = ops.executions();
        Execution execution = executions.describeExisting(executionArn);
        Optional<ExecutionName> name = parseName(execution.name());
        if (name.isPresent() && !force) {
            String owner = execution.inputJson().path("username").asText(null);
            Optional<ServerView> server = owner == null ? Optional.empty()
                    : ops.table().get(owner, name.get().gameServerId());
            supersededBy(name.get(), server).ifPresent(reason -> {
                throw new OpsException("not redriven: " + reason + "; pass --force to redrive it anyway");
            });
        }
        Result result = redrive(execution, name.map(ExecutionName::gameServerId).orElse(null), true);
        print(List.of(result));
        if (!"redriven".equals(result.outcome())) {
            throw new OpsException(result.detail());
        }
        return 0;
    }

    private int redriveFailedServers() {
        List<ServerView> servers = ops.table().list(
                new GameServerTable.Filter(ServersCommand.FAILED_STATUSES, null, since));
        ServerExecutions executions = ops.executions();
        Progress progress = new Progress(ops.err(), yes ? "redriving" : "checking");
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency));
        List<Result> results = new ArrayList<>();
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (ServerView server : servers) {
                futures.add(pool.submit(() -> {
                    Result result = planOrRedrive(server, executions);
                    progress.update(done.incrementAndGet(), "of " + servers.size() + " servers");
                    return result;
                }));
            }
            for (Future<Result> future : futures) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted; some executions may have been redriven: run servers --failed");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        print(results);
        long failures = count(results, "failed");
        ops.err().println(yes
                ? count(results, "redriven") + " redriven, " + count(results, "skipped") + " skipped, "
                        + failures + " failed"
                : "dry run: " + count(results, "would-redrive") + " would be redriven, " + count(results, "skipped")
                        + " skipped; run again with --yes to redrive");
        return failures == 0 ? 0 : 1;
    }

    private Result planOrRedrive(ServerView server, ServerExecutions executions) {
        String id = server.gameServerId();
        if (server.executionArn() == null) {
            return new Result(id, null, "skipped", "the item has no execution_arn");
        }
        Optional<ExecutionName> name = parseName(StateMachines.nameOf(server.executionArn()));
        Optional<String> superseded = name.flatMap(n -> supersededBy(n, Optional.of(server)));
        if (superseded.isPresent() && !force) {
            return new Result(id, server.executionArn(), "skipped", superseded.get() + "; replay instead");
        }
        try {
            Execution execution = executions.describeExisting(server.executionArn());
            return redrive(execution, id, yes);
        } catch (OpsException e) {
            return new Result(id, server.executionArn(), "failed", e.getMessage());
        }
    }

    /** Redrives one execution if its state allows it (or, with {@code act == false}, says it would). */
    private Result redrive(Execution execution, String gameServerId, boolean act) {
        String arn = execution.arn();
        if (!REDRIVABLE_STATUSES.contains(execution.status())) {
            return new Result(gameServerId, arn, "skipped", "it is " + execution.status());
        }
        if ("NOT_REDRIVABLE".equals(execution.redriveStatus())) {
            return new Result(gameServerId, arn, "skipped", "Step Functions cannot redrive it ("
                    + execution.redriveStatusReason() + "); replay instead");
        }
        if (!act) {
            return new Result(gameServerId, arn, "would-redrive", execution.status() + " " + execution.error());
        }
        try {
            Instant at = AwsCall.call("states:RedriveExecution", arn, () -> ops.clients().sfn()
                    .redriveExecution(b -> b.executionArn(arn).clientToken(clientToken(execution))).redriveDate());
            return new Result(gameServerId, arn, "redriven", "at " + at);
        } catch (OpsException e) {
            return new Result(gameServerId, arn, "failed", e.getMessage());
        }
    }

    /**
     * Why redriving an execution would act on an outdated desired state, if it would: the server's item is
     * gone (for a create or update), deletion was requested meanwhile, or its generation moved on.
     */
    static Optional<String> supersededBy(ExecutionName name, Optional<ServerView> server) {
        if (server.isEmpty()) {
            return name.intent() == Intent.DELETE ? Optional.empty()
                    : Optional.of("the server's item no longer exists");
        }
        ServerView s = server.get();
        if (name.intent() != Intent.DELETE && s.deleteRequested()) {
            return Optional.of("deletion of the server was requested since");
        }
        if (name.generation() < s.generation()) {
            return Optional.of("superseded: the server is at generation " + s.generation() + ", the execution"
                    + " converges generation " + name.generation());
        }
        return Optional.empty();
    }

    /**
     * The idempotency token of a redrive: the same for a retried request, new once the execution was redriven
     * (it includes the redrive count).
     */
    static String clientToken(Execution execution) {
        int count = execution.redriveCount() == null ? 0 : execution.redriveCount();
        return UUID.nameUUIDFromBytes((execution.arn() + "#" + count).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void print(List<Result> results) {
        if (ops.json()) {
            Json.print(ops.out(), results);
            return;
        }
        TextTable table = new TextTable("GAMESERVER_ID", "EXECUTION", "OUTCOME", "DETAIL");
        for (Result r : results) {
            table.row(r.gameServerId(), r.executionArn() == null ? null : StateMachines.nameOf(r.executionArn()),
                    r.outcome(), r.detail());
        }
        table.print(ops.out());
    }

    private static long count(List<Result> results, String outcome) {
        return results.stream().filter(r -> r.outcome().equals(outcome)).count();
    }

    private static Optional<ExecutionName> parseName(String name) {
        try {
            return Optional.of(ExecutionName.parse(name));
        } catch (IllegalArgumentException notStackfleets) {
            return Optional.empty();
        }
    }
}
