package dev.stackfleet.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.ReleaseTable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code ops rollout start|status|pause|resume|stop}: upgrades the fleet to a template release in waves, server-side,
 * with the rollout workflow ({@code statemachines/rollout.asl.json}). {@code start} plans the waves from the table and
 * prints them; with {@code --yes} it takes the fleet's rollout lock, writes the plan, makes the release current (new
 * servers get it) and starts the workflow, which survives the operator's laptop. {@code --rollback} rolls out the
 * release that was current before.
 */
@Command(
        name = "rollout",
        description = "Roll a template release out to the fleet in waves: start (a dry run without --yes), status,"
                + " pause, resume, stop.",
        subcommands = {
            RolloutCommand.Start.class,
            RolloutCommand.Status.class,
            RolloutCommand.Pause.class,
            RolloutCommand.Resume.class,
            RolloutCommand.Stop.class
        })
final class RolloutCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    @ParentCommand
    OpsMain ops;

    @Command(name = "start", description = "Plan the waves and print them; with --yes start the rollout.")
    static final class Start implements Callable<Integer> {

        @ParentCommand
        RolloutCommand rollout;

        @Parameters(arity = "0..1", paramLabel = "VERSION", description = "The release to roll out.")
        String version;

        @Option(names = "--rollback", description = "Roll out the release that was current before the current one.")
        boolean rollback;

        @Option(
                names = "--canary",
                paramLabel = "N",
                defaultValue = "1",
                description = "Servers in the first wave, alone. Default: ${DEFAULT-VALUE}.")
        int canary;

        @Option(
                names = "--wave-size",
                paramLabel = "N|P%",
                converter = Share.Converter.class,
                defaultValue = "10%",
                description = "Servers upgraded at once after the canary: a count or a percentage of the servers to"
                        + " upgrade. Default: ${DEFAULT-VALUE}.")
        Share waveSize;

        @Option(
                names = "--max-failures",
                paramLabel = "N|P%",
                converter = Share.Converter.class,
                defaultValue = "0",
                description = "Failed upgrades the rollout tolerates; one more halts it. Default: ${DEFAULT-VALUE}.")
        Share maxFailures;

        @Option(
                names = "--bake",
                paramLabel = "AGE",
                converter = Age.class,
                defaultValue = "0s",
                description = "How long each settled wave bakes before the next starts. Default: ${DEFAULT-VALUE}.")
        Duration bake;

        @Option(
                names = "--alarm",
                paramLabel = "NAME",
                description = "A CloudWatch alarm of this account and region: in ALARM during a wave, it halts the"
                        + " rollout.")
        String alarm;

        @Option(
                names = "--poll",
                paramLabel = "AGE",
                converter = Age.class,
                defaultValue = "30s",
                description =
                        "How often a wave's servers, the alarm and the controls are read. Default: ${DEFAULT-VALUE}.")
        Duration poll;

        @Option(
                names = "--wave-timeout",
                paramLabel = "AGE",
                converter = Age.class,
                defaultValue = "2h",
                description = "A wave still upgrading after this long halts the rollout. Default: ${DEFAULT-VALUE}.")
        Duration waveTimeout;

        @Option(names = "--yes", description = "Start it; without it, only print the plan.")
        boolean yes;

        @Override
        public Integer call() {
            OpsMain ops = rollout.ops;
            ReleaseTable releases = ops.releases();
            Optional<ReleaseTable.Current> current =
                    AwsCall.call("dynamodb:GetItem", ops.releasesTable, releases::current);
            String target = target(current);
            if (AwsCall.call("dynamodb:GetItem", ops.releasesTable, () -> releases.get(target))
                    .isEmpty()) {
                throw new OpsException(
                        "no release " + target + ": publish it first (./stackfleet ops release publish FILE)");
            }
            if (poll.isZero() || canary < 0) {
                throw new OpsException("--poll must be longer than 0s and --canary at least 0");
            }
            if (alarm != null) {
                checkAlarm(ops);
            }
            RolloutPlan plan = RolloutPlan.of(
                    ops.table().list(new GameServerTable.Filter(List.of(), null, null)),
                    target,
                    new RolloutPlan.Shape(canary, waveSize, maxFailures));
            if (!(ops.json() && yes)) {
                printPlan(ops, plan); // with --json --yes, the one JSON document below carries the plan
            }
            String summary = plan.servers() + " servers in " + plan.waves().size() + " waves (canary " + canary
                    + ", then up to " + waveSize + " at once), tolerating " + plan.maxFailures() + " failed upgrades"
                    + (plan.skipped().isEmpty() ? "" : "; left out: " + describe(plan.skipped()));
            if (!yes) {
                ops.err().println("dry run: " + summary + "; nothing started (add --yes to start)");
                return 0;
            }
            Instant now = Instant.now();
            String rolloutId = "ro-" + ID_TIME.format(now).toLowerCase(java.util.Locale.ROOT) + "-" + target;
            lock(ops, rolloutId);
            String executionArn = requireRolloutArn(ops).replace(":stateMachine:", ":execution:") + ":" + rolloutId;
            RolloutTable rollouts = ops.rollouts();
            try {
                rollouts.create(
                        new Rollout(
                                rolloutId,
                                target,
                                current.map(ReleaseTable.Current::version).orElse(null),
                                "STARTING",
                                "RUN",
                                0,
                                plan.waves().size(),
                                plan.servers(),
                                0,
                                List.of(),
                                plan.maxFailures(),
                                alarm == null ? "" : alarm,
                                bake.toSeconds(),
                                null,
                                executionArn,
                                now,
                                null),
                        plan.waves());
                AwsCall.call("dynamodb:UpdateItem", ops.releasesTable, () -> {
                    releases.makeCurrent(target);
                    return null;
                });
                String input = input(rolloutId, target, plan);
                AwsCall.call(
                        "states:StartExecution",
                        requireRolloutArn(ops),
                        () -> ops.clients()
                                .sfn()
                                .startExecution(r -> r.stateMachineArn(requireRolloutArn(ops))
                                        .name(rolloutId)
                                        .input(input)));
            } catch (OpsException e) {
                rollouts.failToStart(rolloutId, e.getMessage());
                rollouts.unlock(rolloutId);
                throw e;
            }
            if (ops.json()) {
                Json.print(ops.out(), Map.of("rollout_id", rolloutId, "execution_arn", executionArn, "plan", plan));
            } else {
                ops.out().println("started " + rolloutId + ": " + summary);
            }
            ops.err()
                    .println("release " + target + " is current: new servers get it; follow with ./stackfleet ops"
                            + " rollout status " + rolloutId);
            return 0;
        }

        private String target(Optional<ReleaseTable.Current> current) {
            if (rollback == (version != null)) {
                throw new OpsException("name the release to roll out, or --rollback (not both)");
            }
            if (!rollback) {
                return version;
            }
            return current.map(ReleaseTable.Current::previous)
                    .orElseThrow(() -> new OpsException("nothing to roll back to: no release was current before "
                            + current.map(ReleaseTable.Current::version).orElse("(none)")));
        }

        private void checkAlarm(OpsMain ops) {
            if (ops.emulatorAccount != null) {
                // moto 5.2 answers CloudWatch only in its query protocol, which this SDK no longer speaks; the
                // workflow's own DescribeAlarms runs inside the emulator and works.
                ops.err().println("note: local mode cannot check that alarm " + alarm + " exists");
                return;
            }
            boolean exists = !AwsCall.call(
                            "cloudwatch:DescribeAlarms",
                            alarm,
                            () -> ops.clients()
                                    .cloudWatch()
                                    .describeAlarms(r -> r.alarmNames(alarm))
                                    .metricAlarms())
                    .isEmpty();
            if (!exists) {
                throw new OpsException("no CloudWatch alarm " + alarm + " in this account and region: name an"
                        + " existing metric alarm for --alarm");
            }
        }

        /** Takes the fleet's lock, or takes it over from a rollout whose workflow no longer runs. */
        private void lock(OpsMain ops, String rolloutId) {
            RolloutTable rollouts = ops.rollouts();
            Optional<String> holder = rollouts.lockHolder();
            if (holder.isPresent()) {
                Optional<Rollout> held = rollouts.get(holder.get());
                if (held.isPresent()
                        && held.get().live()
                        && running(ops, held.get().executionArn())) {
                    throw new OpsException(
                            "rollout " + holder.get() + " is " + held.get().status()
                                    + ": one rollout at a time; see ./stackfleet ops rollout status, or stop it first");
                }
                ops.err()
                        .println("note: taking the rollout lock over from " + holder.get()
                                + ", whose workflow no longer runs");
            }
            if (!rollouts.lock(rolloutId, holder.orElse(null))) {
                throw new OpsException("another rollout took the lock meanwhile: see ./stackfleet ops rollout status");
            }
        }

        private static boolean running(OpsMain ops, String executionArn) {
            try {
                return ops.clients()
                                .sfn()
                                .describeExecution(r -> r.executionArn(executionArn))
                                .status()
                        == ExecutionStatus.RUNNING;
            } catch (software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException e) {
                return false;
            }
        }

        private String input(String rolloutId, String target, RolloutPlan plan) {
            ObjectNode input = JSON.createObjectNode();
            input.put("rollout_id", rolloutId);
            input.put("release", target);
            input.put("waves", plan.waves().size());
            input.put("max_failures", plan.maxFailures());
            input.put("bake_seconds", bake.toSeconds());
            input.put("poll_seconds", poll.toSeconds());
            input.put(
                    "max_polls_per_wave",
                    Math.max(1, (waveTimeout.toSeconds() + poll.toSeconds() - 1) / poll.toSeconds()));
            input.put("alarm_name", alarm == null ? "" : alarm);
            return input.toString();
        }

        private static void printPlan(OpsMain ops, RolloutPlan plan) {
            if (ops.json()) {
                Json.print(ops.out(), plan);
                return;
            }
            TextTable table = new TextTable("WAVE", "SERVERS", "GAMESERVER_IDS");
            for (int i = 0; i < plan.waves().size(); i++) {
                List<RolloutPlan.Target> wave = plan.waves().get(i);
                table.row(
                        i == 0 && wave.size() <= 0 ? "" : i == 0 ? "0 (canary)" : Integer.toString(i),
                        wave.size(),
                        Formats.abbreviate(
                                wave.stream()
                                        .map(RolloutPlan.Target::gameServerId)
                                        .collect(Collectors.joining(" ")),
                                100));
            }
            table.print(ops.out());
        }
    }

    @Command(name = "status", description = "Show a rollout (default: the running or latest one) and its waves.")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        RolloutCommand rollout;

        @Parameters(arity = "0..1", paramLabel = "ROLLOUT_ID", description = "The rollout.")
        String rolloutId;

        /** A wave's servers by where they are: upgraded, failed, upgrading, not upgraded, gone. */
        record Wave(int wave, int servers, Map<String, Integer> states) {}

        @Override
        public Integer call() {
            OpsMain ops = rollout.ops;
            Rollout r = rollout.find(rolloutId);
            Map<String, ServerView> byId = ops.table().list(new GameServerTable.Filter(List.of(), null, null)).stream()
                    .collect(Collectors.toMap(ServerView::gameServerId, Function.identity()));
            List<Wave> waves = new ArrayList<>();
            for (int i = 0; i < r.waves(); i++) {
                List<RolloutPlan.Target> planned = ops.rollouts().wave(r.rolloutId(), i);
                Map<String, Integer> states = new LinkedHashMap<>();
                for (String state : List.of("upgraded", "failed", "upgrading", "not upgraded", "gone")) {
                    states.put(state, 0);
                }
                planned.forEach(t -> states.merge(state(byId.get(t.gameServerId()), r.release()), 1, Integer::sum));
                waves.add(new Wave(i, planned.size(), states));
            }
            if (ops.json()) {
                Json.print(ops.out(), Map.of("rollout", r, "waves", waves));
                return 0;
            }
            PrintLines out = new PrintLines(ops);
            out.line("rollout", r.rolloutId());
            out.line("release", r.release() + (r.fromRelease() == null ? "" : " (from " + r.fromRelease() + ")"));
            out.line("status", r.status() + requested(r));
            out.line("wave", r.waves() == 0 ? "-" : r.wave() + " (waves 0.." + (r.waves() - 1) + ", 0 is the canary)");
            out.line(
                    "failures",
                    r.failures() + " (tolerated: " + r.maxFailures() + ")"
                            + (r.failedServers().isEmpty() ? "" : " " + String.join(" ", r.failedServers())));
            out.line(
                    "gates",
                    (r.alarmName().isEmpty() ? "no alarm" : "alarm " + r.alarmName()) + ", bake " + r.bakeSeconds()
                            + "s");
            if (r.reason() != null) {
                out.line("reason", r.reason());
            }
            out.line("execution", r.executionArn());
            ops.out().println();
            TextTable table =
                    new TextTable("WAVE", "SERVERS", "UPGRADED", "FAILED", "UPGRADING", "NOT_UPGRADED", "GONE");
            for (Wave w : waves) {
                table.row(
                        w.wave() == 0 ? "0 (canary)" : Integer.toString(w.wave()),
                        w.servers(),
                        w.states().get("upgraded"),
                        w.states().get("failed"),
                        w.states().get("upgrading"),
                        w.states().get("not upgraded"),
                        w.states().get("gone"));
            }
            table.print(ops.out());
            return 0;
        }

        /** An operator's request the workflow has not acted on yet. */
        private static String requested(Rollout r) {
            if (!r.live()) {
                return "";
            }
            return switch (r.control()) {
                case "PAUSE" -> "PAUSED".equals(r.status()) ? "" : " (pause requested)";
                case "STOP" -> " (stop requested)";
                default -> "PAUSED".equals(r.status()) ? " (resume requested)" : "";
            };
        }

        /** Where a planned server is, as the table says now. */
        private static String state(ServerView server, String release) {
            if (server == null || server.deleteRequested()) {
                return "gone";
            }
            if (release.equals(server.observedRelease()) && "ACTIVE".equals(server.status())) {
                return "upgraded";
            }
            if (!release.equals(server.release())) {
                return "not upgraded";
            }
            return "UPDATE_FAILED".equals(server.status()) ? "failed" : "upgrading";
        }
    }

    /** {@code pause}, {@code resume} and {@code stop}: what an operator asks of the rollout workflow. */
    abstract static class Control implements Callable<Integer> {

        @ParentCommand
        RolloutCommand rollout;

        @Parameters(arity = "0..1", paramLabel = "ROLLOUT_ID", description = "The rollout (default: the running one).")
        String rolloutId;

        abstract String control();

        abstract String effect();

        @Override
        public Integer call() {
            OpsMain ops = rollout.ops;
            String id = rolloutId != null
                    ? rolloutId
                    : ops.rollouts().lockHolder().orElseThrow(() -> new OpsException("no rollout is running"));
            if (!ops.rollouts().control(id, control())) {
                Rollout r = rollout.find(id);
                throw new OpsException("rollout " + id + " is " + r.status() + ", not running: nothing to "
                        + control().toLowerCase(java.util.Locale.ROOT));
            }
            ops.out().println(id + ": " + effect());
            return 0;
        }
    }

    @Command(name = "pause", description = "Pause the rollout before its next wave.")
    static final class Pause extends Control {
        @Override
        String control() {
            return "PAUSE";
        }

        @Override
        String effect() {
            return "pause requested: it pauses before its next wave (the running wave finishes);"
                    + " resume with ./stackfleet ops rollout resume";
        }
    }

    @Command(name = "resume", description = "Resume a paused rollout.")
    static final class Resume extends Control {
        @Override
        String control() {
            return "RUN";
        }

        @Override
        String effect() {
            return "resume requested: it goes on with its next wave within one poll";
        }
    }

    @Command(name = "stop", description = "Stop the rollout: no further wave starts; upgrades already written finish.")
    static final class Stop extends Control {
        @Override
        String control() {
            return "STOP";
        }

        @Override
        String effect() {
            return "stop requested: no further wave starts (upgrades already written finish);"
                    + " roll back with ./stackfleet ops rollout start --rollback";
        }
    }

    /** A rollout by id, or the running one, or the latest. */
    private Rollout find(String rolloutId) {
        RolloutTable rollouts = ops.rollouts();
        if (rolloutId != null) {
            return rollouts.get(rolloutId)
                    .orElseThrow(() -> new OpsException("no rollout " + rolloutId + " in " + ops.releasesTable));
        }
        Optional<Rollout> running = rollouts.lockHolder().flatMap(rollouts::get);
        return running.or(() -> rollouts.list().stream().findFirst())
                .orElseThrow(() -> new OpsException("no rollout yet: start one with ./stackfleet ops rollout start"));
    }

    private static String requireRolloutArn(OpsMain ops) {
        if (ops.rolloutArn == null || ops.rolloutArn.isBlank()) {
            throw new OpsException("the rollout state machine is not set: pass --rollout-state-machine or set"
                    + " ROLLOUT_STATE_MACHINE_ARN (the control plane stack's output RolloutStateMachineArn)");
        }
        return ops.rolloutArn;
    }

    private static String describe(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    /** Aligned {@code name: value} lines. */
    private record PrintLines(OpsMain ops) {
        void line(String name, String value) {
            ops.out().printf("%-10s %s%n", name + ":", value);
        }
    }
}
