package dev.stackfleet.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The bulk forms of redrive and replay: one action per item with bounded concurrency, progress on standard
 * error, and one table (or JSON array) of outcomes on standard output.
 */
final class Bulk {

    /**
     * The outcome for one execution or server.
     *
     * @param gameServerId the server, or {@code null} when not a stackfleet execution
     * @param executionArn the execution redriven or started (or that would be), or {@code null}
     * @param outcome e.g. {@code redriven}, {@code would-redrive}, {@code started}, {@code skipped}, {@code failed}
     * @param detail why it was skipped or failed, or what was done
     */
    record Result(String gameServerId, String executionArn, String outcome, String detail) {}

    private Bulk() {}

    /**
     * Runs the action on every item, at most {@code concurrency} at once, and returns the results in the items'
     * order; an empty result leaves the item out.
     *
     * @param progress reports "n of N" with this unit, e.g. {@code "servers"}
     */
    static <T> List<Result> run(
            List<T> items, int concurrency, Progress progress, String unit, Function<T, Optional<Result>> action) {
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency));
        try {
            List<Future<Optional<Result>>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    Optional<Result> result = action.apply(item);
                    progress.update(done.incrementAndGet(), "of " + items.size() + " " + unit);
                    return result;
                }));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Optional<Result>> future : futures) {
                future.get().ifPresent(results::add);
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted; some actions may have been taken: check with servers --failed");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Prints the results as a table, or as JSON with {@code --json}. */
    static void print(OpsMain ops, List<Result> results) {
        if (ops.json()) {
            Json.print(ops.out(), results);
            return;
        }
        TextTable table = new TextTable("GAMESERVER_ID", "EXECUTION", "OUTCOME", "DETAIL");
        for (Result r : results) {
            table.row(
                    r.gameServerId(),
                    r.executionArn() == null ? null : StateMachines.nameOf(r.executionArn()),
                    r.outcome(),
                    r.detail());
        }
        table.print(ops.out());
    }

    /** How many results have this outcome. */
    static long count(List<Result> results, String outcome) {
        return results.stream().filter(r -> r.outcome().equals(outcome)).count();
    }
}
