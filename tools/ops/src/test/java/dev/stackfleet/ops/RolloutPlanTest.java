package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RolloutPlanTest {

    private static final String OLD = "0a0a0a0a0a0a";
    private static final String NEW = "1b1b1b1b1b1b";

    @Test
    void aCanaryFirstThenWavesOfTheSizeInIdOrder() {
        // GIVEN twelve servers on the old release, listed in no particular order
        List<ServerView> servers = new ArrayList<>();
        IntStream.of(7, 2, 11, 0, 5, 9, 1, 4, 10, 3, 8, 6).forEach(n -> servers.add(server(n, "ACTIVE", OLD, OLD)));

        // WHEN a rollout to the new release is planned with a canary of 1 and waves of 5
        RolloutPlan plan = RolloutPlan.of(servers, NEW, shape(1, "5", "0"));

        // THEN
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5), List.of(6, 7, 8, 9, 10), List.of(11)), numbers(plan));
        assertEquals(12, plan.servers());
        assertEquals(0, plan.maxFailures());
    }

    @Test
    void percentagesCountTheServersToUpgradeWavesRoundUpAndTheToleranceDown() {
        List<ServerView> servers = new ArrayList<>();
        IntStream.range(0, 30).forEach(n -> servers.add(server(n, "ACTIVE", OLD, OLD)));

        RolloutPlan plan = RolloutPlan.of(servers, NEW, shape(2, "10%", "5%"));

        assertEquals(
                List.of(2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1),
                plan.waves().stream().map(List::size).toList());
        assertEquals(1, plan.maxFailures(), "5% of 30 is 1.5: one failure tolerated, not two");
    }

    @Test
    void serversThatCannotOrNeedNotBeUpgradedAreLeftOutWithTheirReason() {
        List<ServerView> servers = List.of(
                server(0, "ACTIVE", OLD, OLD),
                server(1, "UPDATE_FAILED", NEW, OLD),
                server(2, "ACTIVE", NEW, NEW),
                server(3, "CREATING", OLD, null),
                paused(server(4, "ACTIVE", OLD, OLD)),
                deleting(server(5, "DELETE_PENDING", OLD, OLD)));

        RolloutPlan plan = RolloutPlan.of(servers, NEW, shape(1, "5", "0"));

        assertEquals(List.of(List.of(0), List.of(1)), numbers(plan), "a failed upgrade to the release is retried");
        assertEquals(
                Map.of("already on " + NEW, 1, "neither ACTIVE nor UPDATE_FAILED", 1, "paused", 1, "being deleted", 1),
                plan.skipped());
    }

    @Test
    void aShareIsACountOrAPercentageOfAtMostAHundred() {
        Share.Converter converter = new Share.Converter();
        assertEquals(new Share(5, false), converter.convert("5"));
        assertEquals(new Share(20, true), converter.convert("20%"));
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("150%"));
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("-1"));
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("five"));
    }

    private static RolloutPlan.Shape shape(int canary, String waveSize, String maxFailures) {
        Share.Converter converter = new Share.Converter();
        return new RolloutPlan.Shape(canary, converter.convert(waveSize), converter.convert(maxFailures));
    }

    private static List<List<Integer>> numbers(RolloutPlan plan) {
        return plan.waves().stream()
                .map(wave -> wave.stream()
                        .map(t -> Integer.parseInt(t.gameServerId().substring("gs-".length())))
                        .toList())
                .toList();
    }

    private static ServerView server(int n, String status, String release, String observed) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "owner", AttributeValue.fromS("owner-" + n % 3),
                "gameserver_id", AttributeValue.fromS("gs-%02d".formatted(n)),
                "status", AttributeValue.fromS(status),
                "generation", AttributeValue.fromN("1"),
                "release", AttributeValue.fromS(release)));
        if (observed != null) {
            item.put("observed_release", AttributeValue.fromS(observed));
        }
        return ServerView.from(item);
    }

    private static ServerView paused(ServerView server) {
        Map<String, AttributeValue> item = new HashMap<>(server.item());
        item.put("pause_reason", AttributeValue.fromS("players online"));
        return ServerView.from(item);
    }

    private static ServerView deleting(ServerView server) {
        Map<String, AttributeValue> item = new HashMap<>(server.item());
        item.put("delete_requested", AttributeValue.fromBool(true));
        return ServerView.from(item);
    }
}
