package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stackfleet.local.ApiClient;
import dev.stackfleet.local.Await;
import dev.stackfleet.local.LocalControlPlane;
import dev.stackfleet.local.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Template releases and rollouts on the real flow, one fleet of 30 servers through the steps an operator takes:
 * publish (a bad template refused, two releases published), a rollout in waves (a canary, then 5 at once) that one
 * server fails within the tolerance while another is paused mid-rollout, paused and resumed; a rollback to the first
 * release; a rollout over the tolerance that halts after its canary with the later waves untouched; and a rollout
 * halted by its alarm going to ALARM mid-rollout. Every stack change is made by the ordinary provision workflow.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutIT {

    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final int SERVERS = 30;
    private static final List<String> OWNERS = List.of("ann", "ben", "cat");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALARM = "game-errors";

    private static TestEnvironment environment;
    /** The fleet's ids in the order a rollout plans them (id order). */
    private static List<String> ids;

    private static String first;
    private static String second;

    @TempDir
    static Path templates;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        environment = TestEnvironment.start("rollout", new LocalControlPlane.Options(0, true, null, 10));
        List<String> created = new ArrayList<>();
        for (String owner : OWNERS) {
            ApiClient client = new ApiClient(environment.controlPlane().apiUrl(), owner);
            IntStream.range(0, SERVERS / OWNERS.size())
                    .forEach(n -> created.add(client.create("{\"difficulty\": \"easy\", \"player_count\": 4}")
                            .body()
                            .path("gameserver_id")
                            .asText()));
        }
        ids = created.stream().sorted().toList();
        Await.until(
                DEADLINE,
                SERVERS + " servers ACTIVE",
                () -> servers().values().stream()
                        .allMatch(s -> "ACTIVE".equals(s.path("status").asText())));
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    @Order(1)
    void aTemplateThatBreaksTheContractIsRefusedAndTwoReleasesArePublished() {
        // GIVEN local mode made the repository's template the first release, which every server got and runs
        first = only(json(ops("release", "list", "--json"))).path("version").asText();
        assertTrue(servers().values().stream()
                .allMatch(s -> first.equals(s.path("release").asText())
                        && first.equals(s.path("observedRelease").asText())));

        // WHEN a template with a parameter the workflows do not pass (no Default) is published
        OpsRun refused = ops(
                "release",
                "publish",
                write(
                        "broken.yaml",
                        template().replaceFirst("(?m)^Parameters:\n", "Parameters:\n  MapName:\n    Type: String\n")));
        // THEN it is refused with what to fix, and nothing is published
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.err().contains("parameter MapName has no Default"), refused.err());
        assertTrue(refused.err().contains("cfn-lint: W2001 Parameter MapName not used. (line "), refused.err());
        assertTrue(refused.err().contains("(2 problems above)"), refused.err());
        assertTrue(refused.err().contains("nothing was written"), refused.err());
        assertEquals(1, json(ops("release", "list", "--json")).size());

        // WHEN a second release is published: one the emulator cannot create for the first server of wave 2 (a
        // resource only that server gets), so its upgrade fails
        OpsRun published = ops("release", "publish", write("second.yaml", breaking(ids.get(1 + 5))));
        // THEN it is a release, not current: the fleet moves to it with a rollout
        assertEquals(0, published.exit(), published.err());
        JsonNode releases = json(ops("release", "list", "--json"));
        assertEquals(2, releases.size(), releases.toString());
        second = releases.get(1).path("version").asText();
        assertTrue(published.out().contains("release " + second), published.out());
        assertTrue(releases.get(0).path("current").asBoolean());
        assertFalse(releases.get(1).path("current").asBoolean());
        // AND publishing the same template again changes nothing
        OpsRun again = ops("release", "publish", write("second-again.yaml", breaking(ids.get(1 + 5))));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("nothing changed"), again.err());
    }

    @Test
    @Order(2)
    void aRolloutUpgradesTheFleetInWavesThroughPauseAndResumeToleratingOneFailure() {
        // WHEN the operator plans it
        OpsRun plan = ops("rollout", "start", second, "--canary", "1", "--wave-size", "5", "--max-failures", "1");
        // THEN the dry run prints a canary and six waves of five, in id order, and starts nothing
        assertEquals(0, plan.exit(), plan.err());
        assertTrue(plan.out().lines().anyMatch(l -> l.startsWith("0 (canary)") && l.contains(ids.get(0))), plan.out());
        assertTrue(plan.out().lines().anyMatch(l -> l.startsWith("6 ") && l.contains(ids.get(29))), plan.out());
        assertTrue(plan.err().contains("dry run: 30 servers in 7 waves"), plan.err());
        assertTrue(plan.err().contains("tolerating 1 failed upgrades"), plan.err());
        assertEquals(first, only(current()).path("version").asText(), "a dry run changes nothing");

        // WHEN it starts and is paused right away
        OpsRun started = ops(
                "rollout",
                "start",
                second,
                "--canary",
                "1",
                "--wave-size",
                "5",
                "--max-failures",
                "1",
                "--poll",
                "1s",
                "--yes");
        assertEquals(0, started.exit(), started.err());
        OpsRun paused = ops("rollout", "pause");
        assertEquals(0, paused.exit(), paused.err());
        // THEN it pauses before its next wave: the waves after it are untouched while it stays paused
        JsonNode pausedAt = awaitRollout("PAUSED");
        long wave = pausedAt.path("rollout").path("wave").asLong();
        assertTrue(wave < 6, pausedAt.toString());
        String thirdWaveServer = ids.get(1 + 5 * 3);
        Map<String, JsonNode> whilePaused = servers();
        for (String later : ids.subList((int) (1 + 5 * wave), SERVERS)) {
            assertEquals(first, whilePaused.get(later).path("release").asText(), later + " is in a later wave");
        }
        // AND a server an operator pauses meanwhile is left alone when its wave comes
        assertEquals(
                0, ops("pause", thirdWaveServer, "--reason", "players online").exit());

        // WHEN it is resumed
        assertEquals(0, ops("rollout", "resume").exit());

        // THEN it completes: the failed server counts against the tolerance of 1, and every other server but the
        // paused one runs the second release
        JsonNode done = awaitRollout("SUCCEEDED");
        assertEquals(1, done.path("rollout").path("failures").asLong(), done.toString());
        String failing = ids.get(1 + 5);
        assertEquals(List.of(failing), strings(done.path("rollout").path("failedServers")));
        Map<String, JsonNode> after = servers();
        assertEquals("UPDATE_FAILED", after.get(failing).path("status").asText());
        assertEquals(second, after.get(failing).path("release").asText());
        assertEquals(first, after.get(failing).path("observedRelease").asText(), "its stack still runs the first");
        assertEquals(first, after.get(thirdWaveServer).path("release").asText(), "paused: skipped");
        for (String id : ids) {
            if (!id.equals(failing) && !id.equals(thirdWaveServer)) {
                JsonNode s = after.get(id);
                assertEquals("ACTIVE", s.path("status").asText(), id);
                assertEquals(second, s.path("observedRelease").asText(), id);
                assertEquals(2, s.path("generation").asLong(), id + ": one new generation, the upgrade");
            }
        }
        // AND the status shows the waves; the second release is current: new servers get it
        OpsRun status = ops("rollout", "status");
        assertTrue(status.out().contains("status:    SUCCEEDED"), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("2 +5 +4 +1 +0 +0 +0")), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("4 +5 +4 +0 +0 +1 +0")), status.out());
        assertEquals(second, only(current()).path("version").asText());
        assertEquals(0, ops("resume", thirdWaveServer).exit());
    }

    @Test
    @Order(3)
    void aRollbackReturnsEveryServerToTheFirstRelease() {
        // WHEN the operator rolls back (the failed server included: it still wants the second release)
        OpsRun rollback =
                ops("rollout", "start", "--rollback", "--canary", "1", "--wave-size", "5", "--poll", "1s", "--yes");
        assertEquals(0, rollback.exit(), rollback.err());

        // THEN every server runs the first release again, and it is current
        awaitRollout("SUCCEEDED");
        Await.until(
                DEADLINE,
                "all servers ACTIVE on " + first,
                () -> servers().values().stream()
                        .allMatch(s -> "ACTIVE".equals(s.path("status").asText())
                                && first.equals(s.path("release").asText())
                                && first.equals(s.path("observedRelease").asText())));
        assertEquals(first, only(current()).path("version").asText());
        // AND ops release show counts them
        OpsRun show = ops("release", "show", first);
        assertTrue(show.out().lines().anyMatch(l -> l.matches("ACTIVE +30 +30")), show.out());
    }

    @Test
    @Order(4)
    void overTheToleranceTheRolloutHaltsAfterTheWaveAndLaterWavesAreUntouched() {
        // GIVEN a release that fails on the canary
        String third = publish("third.yaml", breaking(ids.get(0)));
        Map<String, JsonNode> before = servers();

        // WHEN it is rolled out with no failure tolerated
        OpsRun started = ops("rollout", "start", third, "--canary", "1", "--wave-size", "5", "--poll", "1s", "--yes");
        assertEquals(0, started.exit(), started.err());

        // THEN it halts after the canary, saying why, and no other server was touched
        JsonNode halted = awaitRollout("HALTED");
        assertEquals(
                "1 servers failed their upgrade, more than the tolerance of 0",
                halted.path("rollout").path("reason").asText());
        Map<String, JsonNode> after = servers();
        assertEquals("UPDATE_FAILED", after.get(ids.get(0)).path("status").asText());
        for (String id : ids.subList(1, SERVERS)) {
            assertEquals(first, after.get(id).path("release").asText(), id);
            assertEquals(before.get(id).path("generation"), after.get(id).path("generation"), id);
        }
        assertEquals(
                5,
                halted.path("waves").get(1).path("states").path("not upgraded").asInt());
    }

    @Test
    @Order(5)
    void anAlarmInAlarmMidRolloutHaltsIt() {
        // GIVEN a healthy release, and an alarm that watches the game
        String fourth = publish("fourth.yaml", template().replace("Default: 14", "Default: 30"));
        cloudWatch(
                "PutMetricAlarm",
                "AlarmName=" + ALARM + "&Namespace=Game&MetricName=Errors&Statistic=Sum&Period=60"
                        + "&EvaluationPeriods=1&Threshold=1&ComparisonOperator=GreaterThanOrEqualToThreshold");
        cloudWatch("SetAlarmState", "AlarmName=" + ALARM + "&StateValue=OK&StateReason=healthy");

        // WHEN a rollout gated on it runs its canary (the canary's server failed before: it is upgraded too), is
        // paused, the alarm fires, and it is resumed
        OpsRun started = ops(
                "rollout",
                "start",
                fourth,
                "--canary",
                "1",
                "--wave-size",
                "5",
                "--max-failures",
                "1",
                "--alarm",
                ALARM,
                "--poll",
                "1s",
                "--yes");
        assertEquals(0, started.exit(), started.err());
        assertEquals(0, ops("rollout", "pause").exit());
        awaitRollout("PAUSED");
        cloudWatch("SetAlarmState", "AlarmName=" + ALARM + "&StateValue=ALARM&StateReason=errors");
        assertEquals(0, ops("rollout", "resume").exit());

        // THEN it halts during the wave it was on, and the waves after it are untouched
        JsonNode halted = awaitRollout("HALTED");
        String reason = halted.path("rollout").path("reason").asText();
        assertTrue(reason.startsWith("alarm " + ALARM + " was in ALARM during wave "), reason);
        long wave = halted.path("rollout").path("wave").asLong();
        Map<String, JsonNode> after = servers();
        for (String later : ids.subList((int) (1 + 5 * wave), SERVERS)) {
            assertEquals(first, after.get(later).path("release").asText(), later + " is after wave " + wave);
        }
    }

    // ---- helpers

    /**
     * A CloudWatch call in the query protocol: moto 5.2 speaks only that one, the SDK's CloudWatch client another
     * (the workflow's own DescribeAlarms runs inside the emulator).
     */
    private static void cloudWatch(String action, String parameters) {
        HttpRequest request = HttpRequest.newBuilder(environment.aws().endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=local/20261130/us-east-1/monitoring/aws4_request,"
                                + " SignedHeaders=host, Signature=local")
                .POST(HttpRequest.BodyPublishers.ofString("Action=" + action + "&Version=2010-08-01&" + parameters))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static OpsRun ops(String... args) {
        return OpsRun.against(environment, args);
    }

    /** Every server by id, as ops servers --json shows it. */
    private static Map<String, JsonNode> servers() {
        Map<String, JsonNode> servers = new TreeMap<>();
        json(ops("servers", "--json"))
                .forEach(s -> servers.put(s.path("gameServerId").asText(), s));
        return servers;
    }

    private static JsonNode current() {
        List<JsonNode> current = new ArrayList<>();
        json(ops("release", "list", "--json")).forEach(r -> {
            if (r.path("current").asBoolean()) {
                current.add(r);
            }
        });
        return JSON.valueToTree(current);
    }

    /** The latest rollout once it reaches a status. */
    private static JsonNode awaitRollout(String status) {
        return Await.until(
                DEADLINE,
                "the rollout " + status,
                () -> json(ops("rollout", "status", "--json")),
                r -> status.equals(r.path("rollout").path("status").asText()));
    }

    private static String publish(String name, String template) {
        OpsRun published = ops("release", "publish", write(name, template), "--json");
        assertEquals(0, published.exit(), published.err());
        return json(published).path("version").asText();
    }

    /**
     * The repository's template with a resource that only one server gets and the emulator cannot create (an SSM
     * parameter without a name): that server's update fails, every other server's succeeds.
     */
    private static String breaking(String gameServerId) {
        return template()
                .replaceFirst(
                        "(?m)^Conditions:\n",
                        "Conditions:\n  Breaks: !Equals [!Ref GameServerId, " + gameServerId + "]\n")
                .replaceFirst("(?m)^Resources:\n", """
                        Resources:
                          Breaking:
                            Type: AWS::SSM::Parameter
                            Condition: Breaks
                            Properties: {Type: String, Value: broken}
                        """);
    }

    private static String template() {
        return environment.resources().readGameServerTemplate();
    }

    private static String write(String name, String template) {
        try {
            return Files.writeString(templates.resolve(name), template).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(OpsRun run) {
        assertEquals(0, run.exit(), run.err());
        try {
            return JSON.readTree(run.out());
        } catch (IOException e) {
            throw new UncheckedIOException(run.out(), e);
        }
    }

    private static JsonNode only(JsonNode array) {
        assertEquals(1, array.size(), array.toString());
        return array.get(0);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
