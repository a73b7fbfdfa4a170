package dev.stackfleet.reconciler;

import static dev.stackfleet.core.ItemAttributes.CONFIG;
import static dev.stackfleet.core.ItemAttributes.DELETE_REQUESTED;
import static dev.stackfleet.core.ItemAttributes.GAMESERVER_ID;
import static dev.stackfleet.core.ItemAttributes.GENERATION;
import static dev.stackfleet.core.ItemAttributes.OWNER;
import static dev.stackfleet.core.ItemAttributes.PLACEMENT;
import static dev.stackfleet.core.ItemAttributes.STACK_NAME;
import static dev.stackfleet.core.ItemAttributes.STATUS;
import static dev.stackfleet.core.ItemAttributes.UPDATED_AT;

import dev.stackfleet.core.AccountPoolTable;
import dev.stackfleet.core.ConfigValidator;
import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.ExecutionRequest;
import dev.stackfleet.core.GameServerIds;
import dev.stackfleet.core.Intent;
import dev.stackfleet.core.ItemAttributes;
import dev.stackfleet.core.ItemReader;
import dev.stackfleet.core.MalformedItemException;
import dev.stackfleet.core.Placement;
import dev.stackfleet.core.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * One level-triggered reconcile pass (invariant 10 of the design): it compares what the table asks for with what
 * the workflows and the workload accounts show, and repairs the difference through the ordinary path, by starting
 * the workflow the item needs. Each pass:
 *
 * <ol>
 *   <li>restarts lost intents: a pending or in-progress server unchanged for {@code stuckAfter} whose current
 *       intent has no running execution gets that execution: its deterministic name when never used (a late start
 *       by the stream then starts nothing new), else the next replay;</li>
 *   <li>re-converges {@code ACTIVE} servers whose stack is missing, failed, or whose parameters differ from the
 *       config (drift), with a replay of their current intent, after writing why on the item;</li>
 *   <li>reports stacks of the fleet without an item (orphans) and deletes them through the deprovision workflow
 *       only on request, or on its own after {@code deleteOrphansAfter} when that is set.</li>
 * </ol>
 *
 * <p>It reads the {@code by-status} index (never a Scan of the fleet; only of the account pool, one item per
 * account) and lists each workload account's stacks once, so a pass
 * over a healthy fleet costs a few calls per page of servers and per account, not one per server. It is bounded
 * (a repair limit, a time budget, bounded concurrency), idempotent, and safe when two passes overlap: every
 * decision is checked again on a consistent read, every write is conditional, and execution names are
 * deterministic.
 */
public final class Reconciler {

    /** The statuses of a server that waits for, or is in, an execution. */
    static final List<Status> IN_FLIGHT = List.of(
            Status.CREATE_PENDING,
            Status.UPDATE_PENDING,
            Status.DELETE_PENDING,
            Status.CREATING,
            Status.UPDATING,
            Status.DELETING);

    /** Replays of one intent a pass starts at most; after them the server is reported instead. */
    static final int MAX_REPLAYS = 3;

    /**
     * What a pass may do.
     *
     * @param dryRun find and report only: no writes, no executions
     * @param deleteOrphans delete the orphans it finds (through the deprovision workflow)
     */
    public record Options(boolean dryRun, boolean deleteOrphans) {}

    private final ReconcileSettings settings;
    private final DynamoDbClient dynamo;
    private final SfnClient sfn;
    private final WorkloadClients workloadClients;
    private final Clock clock;
    private final Consumer<String> log;

    /**
     * @param settings what to read and the bounds
     * @param dynamo the control plane's DynamoDB
     * @param sfn the control plane's Step Functions
     * @param workloadClients CloudFormation in a workload account, as a role
     * @param clock the time
     * @param log one line per finding
     */
    public Reconciler(
            ReconcileSettings settings,
            DynamoDbClient dynamo,
            SfnClient sfn,
            WorkloadClients workloadClients,
            Clock clock,
            Consumer<String> log) {
        this.settings = settings;
        this.dynamo = dynamo;
        this.sfn = sfn;
        this.workloadClients = workloadClients;
        this.clock = clock;
        this.log = log;
    }

    /** Runs one pass. */
    public ReconcileReport run(Options options) {
        return new Pass(options).run();
    }

    /** The state of one pass. */
    private final class Pass {
        private final Options options;
        private final Instant startedAt = clock.instant();
        private final Instant deadline = startedAt.plus(settings.timeBudget());
        private final CallCount calls = new CallCount();
        private final FleetTable table = new FleetTable(dynamo, settings.tableName(), calls);
        private final WorkflowRuns runs = new WorkflowRuns(sfn, calls);
        private final StackInventory inventory = new StackInventory(workloadClients, calls);
        private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, AtomicInteger> checked = new TreeMap<>();
        private final AtomicInteger repairs = new AtomicInteger();
        private final AtomicBoolean complete = new AtomicBoolean(true);
        /**
         * Stack names judged as orphans this pass. A name derives from its server's id, so it stands for one server
         * wherever it is listed: a stack seen through two listings (the same account listed twice, a stray copy in
         * another account) is judged once.
         */
        private final Set<String> judgedOrphans = ConcurrentHashMap.newKeySet();
        /** Accounts an operator quarantined: their servers and stacks are left alone. */
        private final Set<String> quarantined;

        Pass(Options options) {
            this.options = options;
            for (String kind : List.of("in-flight", "active", "stacks", "held")) {
                checked.put(kind, new AtomicInteger());
            }
            calls.add("dynamodb:Scan");
            quarantined = new AccountPoolTable(dynamo, settings.accountPoolTableName())
                    .quarantines()
                    .keySet();
        }

        /**
         * Whether an operator holds this server still: paused, or placed in a quarantined account. Counted as held and
         * left alone.
         */
        private boolean held(Map<String, AttributeValue> item) {
            Map<String, AttributeValue> placement =
                    item.get(PLACEMENT) == null ? Map.of() : item.get(PLACEMENT).m();
            AttributeValue account = placement.get("account_id");
            boolean held = ItemReader.has(item, ItemAttributes.PAUSE_REASON)
                    || (account != null && quarantined.contains(account.s()));
            if (held) {
                checked.get("held").incrementAndGet();
            }
            return held;
        }

        ReconcileReport run() {
            try (Work work = new Work(settings.concurrency())) {
                // The stacks are listed before any lost intent is restarted: the listing sees the fleet as this pass
                // found it, never a stack that one of its own restarts is creating at that moment.
                checkActiveServersAndStacks(work);
                restartLostIntents(work);
            }
            Map<String, Integer> counted = new LinkedHashMap<>();
            checked.forEach((kind, count) -> counted.put(kind, count.get()));
            return new ReconcileReport(
                    startedAt,
                    clock.instant().toEpochMilli() - startedAt.toEpochMilli(),
                    options.dryRun(),
                    complete.get(),
                    counted,
                    List.copyOf(findings),
                    calls.snapshot());
        }

        // ---- 1. lost intents ----------------------------------------------------------------------------

        private void restartLostIntents(Work work) {
            Instant cutoff = clock.instant().minus(settings.stuckAfter());
            for (Status status : IN_FLIGHT) {
                table.forEachWithStatus(status.name(), cutoff, this::outOfTime, indexed -> {
                    checked.get("in-flight").incrementAndGet();
                    work.submit(idOf(indexed), () -> restartIfLost(indexed));
                });
            }
            work.await();
        }

        private void restartIfLost(Map<String, AttributeValue> indexed) {
            String owner = indexed.get(OWNER).s();
            String id = indexed.get(GAMESERVER_ID).s();
            Optional<Map<String, AttributeValue>> current = table.get(owner, id);
            if (current.isEmpty()
                    || !sameStatus(current.get(), indexed)
                    || !current.get()
                            .get(UPDATED_AT)
                            .s()
                            .equals(indexed.get(UPDATED_AT).s())) {
                return; // it moved on since the index was read
            }
            Map<String, AttributeValue> item = current.get();
            if (held(item)) {
                return;
            }
            ExecutionRequest original = requestFor(item, owner, id);
            if (original == null) {
                return;
            }
            Optional<WorkflowRuns.Run> newest = runs.newest(original);
            if (newest.isPresent() && newest.get().running()) {
                return; // still working on it
            }
            String detail =
                    item.get(STATUS).s() + " since " + indexed.get(UPDATED_AT).s() + ", "
                            + newest.map(run -> run.name() + " ended " + run.status())
                                    .orElse("no execution of " + original.name());
            repair(
                    Finding.Kind.STUCK,
                    item,
                    original,
                    newest,
                    detail,
                    item.get(STACK_NAME).s());
        }

        // ---- 2. active servers, 3. orphans ------------------------------------------------------------------

        private void checkActiveServersAndStacks(Work work) {
            Map<AccountRegion, List<Map<String, AttributeValue>>> active = new LinkedHashMap<>();
            for (String account : settings.workloadAccounts()) {
                active.put(new AccountRegion(account, settings.region()), new ArrayList<>());
            }
            // A quarantined account's stacks are not listed: neither its servers nor its orphans are judged.
            active.keySet().removeIf(where -> quarantined.contains(where.account()));
            table.forEachWithStatus(Status.ACTIVE.name(), null, this::outOfTime, item -> {
                checked.get("active").incrementAndGet();
                try {
                    ItemReader.string(item, STACK_NAME, "item");
                    Map<String, AttributeValue> placement = ItemReader.map(item, PLACEMENT, "item");
                    String account = ItemReader.string(placement, "account_id", PLACEMENT);
                    if (quarantined.contains(account)) {
                        checked.get("held").incrementAndGet();
                    } else {
                        active.computeIfAbsent(
                                        new AccountRegion(account, ItemReader.string(placement, "region", PLACEMENT)),
                                        k -> new ArrayList<>())
                                .add(item);
                    }
                } catch (MalformedItemException e) {
                    unresolved(item, "cannot check its stack: " + e.getMessage());
                }
            });
            active.forEach((where, items) -> {
                if (outOfTime()) {
                    return;
                }
                Map<String, FleetStack> stacks;
                try {
                    stacks = inventory
                            .list(
                                    where.account(),
                                    where.region(),
                                    settings.observerRoleArn(where.account()),
                                    this::outOfTime)
                            .orElse(null);
                    if (stacks == null) {
                        return; // out of time in the middle of the listing: a partial one proves nothing
                    }
                } catch (SdkException e) {
                    findings.add(logged(new Finding(
                            Finding.Kind.UNRESOLVED,
                            "-",
                            null,
                            "-",
                            "cannot list the stacks of account " + where.account() + " in " + where.region()
                                    + " through " + settings.observerRoleArn(where.account()) + ": "
                                    + e.getMessage(),
                            "none: its servers and orphans are checked next pass")));
                    return;
                }
                checked.get("stacks").addAndGet(stacks.size());
                Set<String> live = new HashSet<>();
                for (Map<String, AttributeValue> item : items) {
                    live.add(item.get(STACK_NAME).s());
                    if (!held(item)) {
                        checkStack(work, item, stacks.get(item.get(STACK_NAME).s()));
                    }
                }
                for (FleetStack stack : stacks.values()) {
                    if (!live.contains(stack.name()) && judgedOrphans.add(stack.name())) {
                        work.submit(stack.name(), () -> checkOrphan(stack));
                    }
                }
            });
            work.await();
        }

        private void checkStack(Work work, Map<String, AttributeValue> item, FleetStack stack) {
            String problem;
            Finding.Kind kind;
            if (stack == null) {
                kind = Finding.Kind.STACK_MISSING;
                problem = "stack " + item.get(STACK_NAME).s() + " does not exist";
            } else if (stack.inProgress()) {
                return; // CloudFormation is at work: judge it next pass
            } else if (stack.needsOperator()) {
                findings.add(logged(new Finding(
                        Finding.Kind.UNRESOLVED,
                        idOf(item),
                        item.get(OWNER).s(),
                        stack.name(),
                        "stack is " + stack.status() + ": no update can start from it",
                        "none: continue its rollback (aws cloudformation continue-update-rollback), then it is"
                                + " checked again")));
                return;
            } else if (stack.failed()) {
                kind = Finding.Kind.STACK_FAILED;
                problem = "stack " + stack.name() + " is " + stack.status();
            } else {
                problem = drift(item, stack);
                kind = Finding.Kind.DRIFTED;
                if (problem == null) {
                    return;
                }
            }
            work.submit(idOf(item), () -> reconverge(kind, item, problem));
        }

        /** What differs between the item's config and the stack's parameters, or null when nothing does. */
        private static String drift(Map<String, AttributeValue> item, FleetStack stack) {
            Map<String, AttributeValue> config =
                    item.get(CONFIG) == null ? Map.of() : item.get(CONFIG).m();
            List<String> differences = new ArrayList<>();
            for (ConfigValidator.Key key : ConfigValidator.Key.values()) {
                AttributeValue value = config.get(key.field());
                String expected = value == null ? null : value.s() != null ? value.s() : value.n();
                String actual = stack.parameters().get(key.parameter());
                if (expected != null && !expected.equals(actual)) {
                    differences.add(key.parameter() + " is " + actual + ", config says " + expected);
                }
            }
            return differences.isEmpty() ? null : "stack parameters drifted: " + String.join("; ", differences);
        }

        private void reconverge(Finding.Kind kind, Map<String, AttributeValue> indexed, String problem) {
            String owner = indexed.get(OWNER).s();
            String id = indexed.get(GAMESERVER_ID).s();
            Optional<Map<String, AttributeValue>> current = table.get(owner, id);
            if (current.isEmpty()
                    || !Status.ACTIVE.name().equals(current.get().get(STATUS).s())
                    || !current.get()
                            .get(UPDATED_AT)
                            .s()
                            .equals(indexed.get(UPDATED_AT).s())) {
                return; // changed since the index was read: its own execution, or another pass, takes care of it
            }
            ExecutionRequest original = requestFor(current.get(), owner, id);
            if (original == null) {
                return;
            }
            Optional<WorkflowRuns.Run> newest = runs.newest(original);
            if (newest.isPresent() && newest.get().running()) {
                return;
            }
            repair(
                    kind,
                    current.get(),
                    original,
                    newest,
                    problem,
                    current.get().get(STACK_NAME).s());
        }

        private void checkOrphan(FleetStack stack) {
            String id = stack.gameServerId();
            String owner = stack.owner();
            if (owner == null || !GameServerIds.isWellFormed(id)) {
                findings.add(logged(new Finding(
                        Finding.Kind.UNRESOLVED,
                        id,
                        owner,
                        stack.name(),
                        "stack in account " + stack.accountId() + " has no owner tag or a malformed "
                                + FleetStack.ID_TAG + " tag",
                        "none: look at it by hand")));
                return;
            }
            if (stack.inProgress()) {
                return; // CloudFormation is at work on it (a deprovision deleting it, for one): judge it next pass
            }
            if (table.get(owner, id).isPresent()) {
                return; // a server that is being created, changed, deleted or has failed: not an orphan
            }
            Instant now = clock.instant();
            if (stack.lastChanged() != null
                    && stack.lastChanged().plus(settings.orphanGrace()).isAfter(now)) {
                return; // too young to judge: its item may be on its way, or its deprovision under way
            }
            String detail = "stack in account " + stack.accountId() + " (" + stack.status() + ", last changed "
                    + stack.lastChanged() + ") has no item";
            boolean autoDelete = settings.deleteOrphansAfter() != null
                    && stack.lastChanged() != null
                    && stack.lastChanged().plus(settings.deleteOrphansAfter()).isBefore(now);
            if (!options.deleteOrphans() && !autoDelete) {
                findings.add(logged(new Finding(
                        Finding.Kind.ORPHAN,
                        id,
                        owner,
                        stack.name(),
                        detail,
                        "reported; delete with ./stackfleet ops reconcile --delete-orphans --yes")));
                return;
            }
            ExecutionRequest original = settings.workflows().request(orphanDeletion(stack));
            Optional<WorkflowRuns.Run> newest = runs.newest(original);
            if (newest.isPresent() && newest.get().running()) {
                return;
            }
            if (!options.dryRun() && !reserveRepair()) {
                findings.add(logged(new Finding(Finding.Kind.ORPHAN, id, owner, stack.name(), detail, deferred())));
                return;
            }
            start(Finding.Kind.ORPHAN, id, owner, stack.name(), detail, WorkflowRuns.next(original, newest));
        }

        /** A deprovision of an orphan, built from its stack: the item it would be built from is gone. */
        private ExecutionInput orphanDeletion(FleetStack stack) {
            long generation;
            try {
                generation = Math.max(1, Long.parseLong(stack.tags().getOrDefault(FleetStack.GENERATION_TAG, "1")));
            } catch (NumberFormatException e) {
                generation = 1;
            }
            return new ExecutionInput(
                    Intent.DELETE,
                    stack.owner(),
                    stack.gameServerId(),
                    generation,
                    stack.name(),
                    new ExecutionInput.Config(null, null, null),
                    new Placement(stack.accountId(), stack.region(), settings.accessRoleArn(stack.accountId())),
                    settings.poll(),
                    null);
        }

        // ---- repairs ----------------------------------------------------------------------------------------

        private void repair(
                Finding.Kind kind,
                Map<String, AttributeValue> item,
                ExecutionRequest original,
                Optional<WorkflowRuns.Run> newest,
                String detail,
                String stackName) {
            String owner = item.get(OWNER).s();
            String id = item.get(GAMESERVER_ID).s();
            ExecutionRequest next = WorkflowRuns.next(original, newest);
            if (next.name().replay() > MAX_REPLAYS) {
                // replays that keep ending without a result will not be helped by one more
                findings.add(logged(new Finding(
                        Finding.Kind.UNRESOLVED,
                        id,
                        owner,
                        stackName,
                        detail + "; " + MAX_REPLAYS + " replays did not help",
                        "none: read ./stackfleet ops history " + id)));
                return;
            }
            if (!options.dryRun() && !reserveRepair()) {
                findings.add(logged(new Finding(kind, id, owner, stackName, detail, deferred())));
                return;
            }
            // The write is also the guard: it holds only if the item is still as judged.
            if (!options.dryRun()
                    && !table.recordRepair(
                            owner,
                            id,
                            item.get(STATUS).s(),
                            item.get(GENERATION).n(),
                            item.get(UPDATED_AT).s(),
                            kind + ": " + detail + "; starting " + next.name(),
                            clock.instant())) {
                return; // the item changed meanwhile
            }
            start(kind, id, owner, stackName, detail, next);
        }

        /** Takes one of the pass's repairs; false once {@code maxRepairs} are taken (the pass is then incomplete). */
        private boolean reserveRepair() {
            if (repairs.incrementAndGet() > settings.maxRepairs()) {
                complete.set(false);
                return false;
            }
            return true;
        }

        private String deferred() {
            return "deferred to the next pass: this one reached its limit of " + settings.maxRepairs() + " repairs";
        }

        private void start(
                Finding.Kind kind, String id, String owner, String stackName, String detail, ExecutionRequest next) {
            String action;
            if (options.dryRun()) {
                action = "would start " + next.name();
            } else {
                try {
                    action = runs.start(next)
                            ? "started " + next.name()
                            : "already started by another pass: " + next.name();
                } catch (SdkException e) {
                    action = "failed to start " + next.name() + ": " + e.getMessage();
                }
            }
            findings.add(logged(new Finding(kind, id, owner, stackName, detail, action)));
        }

        private ExecutionRequest requestFor(Map<String, AttributeValue> item, String owner, String id) {
            try {
                Intent intent = Intent.current(
                        ItemReader.isTrue(item, DELETE_REQUESTED), ItemReader.positiveLong(item, GENERATION, "item"));
                return settings.workflows().request(ExecutionInput.fromItem(intent, item, settings.poll()));
            } catch (MalformedItemException e) {
                findings.add(logged(new Finding(
                        Finding.Kind.UNRESOLVED,
                        id,
                        owner,
                        null,
                        "cannot build its execution: " + e.getMessage(),
                        "none: repair the item")));
                return null;
            }
        }

        private void unresolved(Map<String, AttributeValue> item, String why) {
            findings.add(logged(new Finding(
                    Finding.Kind.UNRESOLVED,
                    item.get(GAMESERVER_ID).s(),
                    item.get(OWNER).s(),
                    null,
                    why,
                    "none: repair the item")));
        }

        private boolean outOfTime() {
            if (clock.instant().isAfter(deadline)) {
                complete.set(false);
                return true;
            }
            return false;
        }

        private Finding logged(Finding finding) {
            log.accept(finding.logLine());
            return finding;
        }

        private static String idOf(Map<String, AttributeValue> item) {
            AttributeValue id = item.get(GAMESERVER_ID);
            return id == null ? "?" : id.s();
        }

        private static boolean sameStatus(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
            return a.get(STATUS).s().equals(b.get(STATUS).s());
        }

        /** Runs checks with bounded concurrency; a check that would start after the time budget is skipped. */
        private final class Work implements AutoCloseable {
            private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            private final Semaphore permits;
            private final List<Future<?>> pending = new ArrayList<>();

            Work(int concurrency) {
                this.permits = new Semaphore(concurrency);
            }

            void submit(String what, Runnable check) {
                pending.add(threads.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        if (!outOfTime()) {
                            check.run();
                        }
                    } catch (RuntimeException e) {
                        // one server's trouble (a throttled call, a malformed item) must not end the pass
                        findings.add(logged(new Finding(
                                Finding.Kind.UNRESOLVED,
                                what,
                                null,
                                null,
                                "its check failed: " + e,
                                "none: checked again next pass")));
                    } finally {
                        permits.release();
                    }
                }));
            }

            void await() {
                for (Future<?> future : pending) {
                    try {
                        future.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("a reconcile check failed", e.getCause());
                    }
                }
                pending.clear();
            }

            @Override
            public void close() {
                threads.shutdownNow();
            }
        }
    }

    /** A workload account and region: the unit of one stack listing. */
    private record AccountRegion(String account, String region) {}
}
