package dev.stackfleet.ops;

import dev.stackfleet.core.EmulatedTemplate;
import dev.stackfleet.core.Release;
import dev.stackfleet.core.ReleaseTable;
import dev.stackfleet.core.TemplateParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code ops release publish|list|show}: the game-server template releases. A release is immutable and named by its
 * content ({@link Release}); publishing checks it first ({@link ReleaseCheck}) and writes nothing when it fails. The
 * first release published becomes the current one, which new servers get; after that a rollout moves the current
 * release ({@code ops rollout start}).
 */
@Command(
        name = "release",
        description = "Game-server template releases: publish, list, show.",
        subcommands = {ReleaseCommand.Publish.class, ReleaseCommand.ListReleases.class, ReleaseCommand.Show.class})
final class ReleaseCommand {

    @ParentCommand
    OpsMain ops;

    /** A release as the commands print it. */
    record View(
            String version,
            String sha256,
            String templateKey,
            Instant publishedAt,
            boolean current,
            boolean previous,
            Map<String, Integer> desiredBy,
            Map<String, Integer> runningBy) {}

    @Command(name = "publish", description = "Check a template (cfn-lint, the API's parameter rules) and publish it.")
    static final class Publish implements Callable<Integer> {

        @ParentCommand
        ReleaseCommand release;

        @Parameters(
                index = "0",
                paramLabel = "TEMPLATE",
                description = "The game-server template, e.g. templates/game-server.yaml.")
        Path file;

        @Override
        public Integer call() {
            OpsMain ops = release.ops;
            String template;
            try {
                template = Files.readString(file);
            } catch (IOException e) {
                throw new OpsException("cannot read " + file + ": " + e.getMessage());
            }
            List<String> problems =
                    new ReleaseCheck(ops.cfnLint, TemplateParameters.gameServer()).problems(file, template);
            if (!problems.isEmpty()) {
                problems.forEach(problem -> ops.err().println("  " + problem));
                throw new OpsException(file + " was not published (" + problems.size()
                        + " problems above): fix them and publish again; nothing was written");
            }
            Release candidate = Release.of(template, Instant.now());
            ReleaseTable releases = ops.releases();
            Optional<Release> published =
                    AwsCall.call("dynamodb:GetItem", ops.releasesTable, () -> releases.get(candidate.version()));
            if (published.isEmpty()) {
                // Local mode: the emulator needs its own copy of the load balancer (see EmulatedTemplate).
                String body = ops.emulatorAccount == null ? template : EmulatedTemplate.of(template);
                AwsCall.call(
                        "s3:PutObject",
                        ops.templateBucket + "/" + candidate.templateKey(),
                        () -> ops.clients()
                                .s3()
                                .putObject(
                                        r -> r.bucket(ops.templateBucket).key(candidate.templateKey()),
                                        RequestBody.fromString(body)));
                AwsCall.call("dynamodb:PutItem", ops.releasesTable, () -> releases.record(candidate));
            } else {
                ops.err()
                        .println("note: " + file + " is release " + candidate.version() + " already (published "
                                + published.get().publishedAt() + "): nothing changed");
            }
            if (AwsCall.call("dynamodb:GetItem", ops.releasesTable, releases::current)
                    .isEmpty()) {
                AwsCall.call("dynamodb:UpdateItem", ops.releasesTable, () -> {
                    releases.makeCurrent(candidate.version());
                    return null;
                });
                ops.err().println("note: the first release is the current one: new servers get it");
            }
            View view = release.view(published.orElse(candidate), Map.of(), Map.of());
            if (ops.json()) {
                Json.print(ops.out(), view);
            } else {
                ops.out()
                        .println("release " + view.version() + " (sha256 " + view.sha256() + ") at s3://"
                                + ops.templateBucket + "/" + view.templateKey()
                                + (view.current() ? ", current: new servers get it" : ""));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List the releases with how many servers should run and run each.")
    static final class ListReleases implements Callable<Integer> {

        @ParentCommand
        ReleaseCommand release;

        @Override
        public Integer call() {
            OpsMain ops = release.ops;
            List<ServerView> servers = release.servers();
            List<View> views = AwsCall.call(
                            "dynamodb:Query",
                            ops.releasesTable,
                            () -> ops.releases().list())
                    .stream()
                    .map(r ->
                            release.view(r, countBy(servers, r.version(), true), countBy(servers, r.version(), false)))
                    .toList();
            release.print(views);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a release and count the servers on it by status.")
    static final class Show implements Callable<Integer> {

        @ParentCommand
        ReleaseCommand release;

        @Parameters(index = "0", paramLabel = "VERSION", description = "The release, e.g. 3f9a2c1d4b5e.")
        String version;

        @Override
        public Integer call() {
            OpsMain ops = release.ops;
            Release found = AwsCall.call(
                            "dynamodb:GetItem",
                            ops.releasesTable,
                            () -> ops.releases().get(version))
                    .orElseThrow(
                            () -> new OpsException("no release " + version + ": see ./stackfleet ops release list"));
            List<ServerView> servers = release.servers();
            View view = release.view(found, countBy(servers, version, true), countBy(servers, version, false));
            if (ops.json()) {
                Json.print(ops.out(), view);
                return 0;
            }
            release.print(List.of(view));
            TextTable table = new TextTable("STATUS", "SHOULD_RUN_IT", "RUN_IT");
            TreeSet<String> statuses = new TreeSet<>(view.desiredBy().keySet());
            statuses.addAll(view.runningBy().keySet());
            statuses.forEach(status -> table.row(
                    status,
                    view.desiredBy().getOrDefault(status, 0),
                    view.runningBy().getOrDefault(status, 0)));
            ops.out().println();
            table.print(ops.out());
            return 0;
        }
    }

    /** Every server of the table (a Scan, announced). */
    private List<ServerView> servers() {
        return ops.table().list(new GameServerTable.Filter(List.of(), null, null));
    }

    /** The servers whose desired (or observed) release is this one, counted by status. */
    private static Map<String, Integer> countBy(List<ServerView> servers, String version, boolean desired) {
        Map<String, Integer> counts = new TreeMap<>();
        servers.stream()
                .filter(s -> version.equals(desired ? s.release() : s.observedRelease()))
                .forEach(s -> counts.merge(String.valueOf(s.status()), 1, Integer::sum));
        return counts;
    }

    private View view(Release r, Map<String, Integer> desiredBy, Map<String, Integer> runningBy) {
        Optional<ReleaseTable.Current> current = AwsCall.call(
                "dynamodb:GetItem", ops.releasesTable, () -> ops.releases().current());
        return new View(
                r.version(),
                r.sha256(),
                r.templateKey(),
                r.publishedAt(),
                current.map(c -> r.version().equals(c.version())).orElse(false),
                current.map(c -> r.version().equals(c.previous())).orElse(false),
                desiredBy,
                runningBy);
    }

    private void print(List<View> views) {
        if (ops.json()) {
            Json.print(ops.out(), views);
            return;
        }
        // SERVERS: how many should run the release (desired); RUNNING: how many stacks run it (observed).
        TextTable table = new TextTable("VERSION", "PUBLISHED", "CURRENT", "SERVERS", "RUNNING", "TEMPLATE");
        for (View v : views) {
            table.row(
                    v.version(),
                    v.publishedAt().truncatedTo(ChronoUnit.SECONDS),
                    v.current() ? "current" : v.previous() ? "previous" : "",
                    total(v.desiredBy()),
                    total(v.runningBy()),
                    "s3://" + ops.templateBucket + "/" + v.templateKey());
        }
        table.print(ops.out());
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
