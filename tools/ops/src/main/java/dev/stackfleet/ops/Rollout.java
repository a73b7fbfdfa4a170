package dev.stackfleet.ops;

import java.time.Instant;
import java.util.List;

/**
 * A rollout's record in the releases table, as {@code ops rollout start} wrote it and the rollout workflow keeps it
 * (docs/contracts.md, "Rollouts").
 *
 * @param rolloutId the rollout, also its execution's name
 * @param release the release the fleet is upgraded to
 * @param fromRelease the release that was current when it started (what a rollback returns to), or null
 * @param status {@code STARTING}, {@code RUNNING}, {@code PAUSED}, then {@code SUCCEEDED}, {@code STOPPED} (by an
 *     operator), {@code HALTED} (by a health gate) or {@code FAILED} (by an error)
 * @param control what an operator asked for: {@code RUN}, {@code PAUSE} or {@code STOP}
 * @param wave the wave being upgraded, 0 for the canary
 * @param waves how many waves
 * @param servers how many servers were planned
 * @param failures how many servers failed their upgrade so far
 * @param failedServers the ids of those servers
 * @param maxFailures the failure tolerance
 * @param alarmName the health gate's alarm, or empty
 * @param bakeSeconds how long each settled wave bakes
 * @param reason why it ended, or null while it runs
 * @param executionArn the rollout workflow's execution
 * @param startedAt when it started
 * @param endedAt when it ended, or null
 */
record Rollout(
        String rolloutId,
        String release,
        String fromRelease,
        String status,
        String control,
        long wave,
        long waves,
        long servers,
        long failures,
        List<String> failedServers,
        long maxFailures,
        String alarmName,
        long bakeSeconds,
        String reason,
        String executionArn,
        Instant startedAt,
        Instant endedAt) {

    /** Whether the workflow may still act on it. */
    boolean live() {
        return List.of("STARTING", "RUNNING", "PAUSED").contains(status);
    }
}
