package dev.stackfleet.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The waves of a rollout, planned from the table as it is when the rollout starts: the servers that would be upgraded,
 * in id order, a canary wave first, then waves of at most {@code waveSize}. The rollout workflow checks each server
 * again when its wave comes (a server paused or deleted since is skipped then).
 *
 * @param release the release the servers are upgraded to
 * @param waves the servers of each wave, the canary's first
 * @param maxFailures how many servers may fail their upgrade before the rollout halts
 * @param skipped why the servers left out were left out, with their counts
 */
record RolloutPlan(String release, List<List<Target>> waves, int maxFailures, Map<String, Integer> skipped) {

    /** A server of a wave: the table's key. */
    record Target(String owner, String gameServerId) {}

    /** How the waves are cut. */
    record Shape(int canary, Share waveSize, Share maxFailures) {}

    /** The plan for upgrading the fleet to {@code release}. */
    static RolloutPlan of(List<ServerView> servers, String release, Shape shape) {
        List<ServerView> eligible = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (ServerView server : servers) {
            String reason = whyLeftOut(server, release);
            if (reason == null) {
                eligible.add(server);
            } else {
                skipped.merge(reason, 1, Integer::sum);
            }
        }
        eligible.sort(Comparator.comparing(ServerView::gameServerId));
        List<Target> targets = eligible.stream()
                .map(s -> new Target(s.owner(), s.gameServerId()))
                .toList();
        List<List<Target>> waves = new ArrayList<>();
        int canary = Math.min(shape.canary(), targets.size());
        if (canary > 0) {
            waves.add(targets.subList(0, canary));
        }
        int size = shape.waveSize().atLeastOneOf(targets.size());
        for (int from = canary; from < targets.size(); from += size) {
            waves.add(targets.subList(from, Math.min(targets.size(), from + size)));
        }
        return new RolloutPlan(
                release, List.copyOf(waves), shape.maxFailures().floorOf(targets.size()), Map.copyOf(skipped));
    }

    /** The number of servers to upgrade. */
    int servers() {
        return waves.stream().mapToInt(List::size).sum();
    }

    /** Why a server is not upgraded, or null when it is: the workflow's own condition, read ahead. */
    private static String whyLeftOut(ServerView server, String release) {
        if (server.deleteRequested()) {
            return "being deleted";
        }
        if (server.paused()) {
            return "paused";
        }
        if (release.equals(server.release()) && release.equals(server.observedRelease())) {
            return "already on " + release;
        }
        if (!"ACTIVE".equals(server.status()) && !"UPDATE_FAILED".equals(server.status())) {
            return "neither ACTIVE nor UPDATE_FAILED";
        }
        return null;
    }
}
