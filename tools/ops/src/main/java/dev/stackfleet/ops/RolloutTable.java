package dev.stackfleet.ops;

import static dev.stackfleet.core.ReleaseAttributes.LOCK_PK;
import static dev.stackfleet.core.ReleaseAttributes.LOCK_SK;
import static dev.stackfleet.core.ReleaseAttributes.PK;
import static dev.stackfleet.core.ReleaseAttributes.ROLLOUT_PK_PREFIX;
import static dev.stackfleet.core.ReleaseAttributes.ROLLOUT_SK;
import static dev.stackfleet.core.ReleaseAttributes.SK;
import static dev.stackfleet.core.ReleaseAttributes.WAVE_SK_PREFIX;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The rollouts in the releases table ({@link dev.stackfleet.core.ReleaseAttributes}): each rollout's record and its
 * planned waves, and the fleet's lock that lets one rollout run at a time. The rollout workflow updates the record
 * and gives the lock back when it ends.
 */
final class RolloutTable {

    private final DynamoDbClient dynamo;
    private final String tableName;

    RolloutTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    /**
     * Takes the fleet's rollout lock for a rollout, or takes it over from {@code staleHolder} (a rollout whose
     * workflow no longer runs).
     *
     * @return false when another rollout holds it (nothing written)
     */
    boolean lock(String rolloutId, String staleHolder) {
        Map<String, AttributeValue> item = Map.of(
                PK,
                s(LOCK_PK),
                SK,
                s(LOCK_SK),
                "rollout_id",
                s(rolloutId),
                "locked_at",
                s(Instant.now().toString()));
        return AwsCall.call("dynamodb:PutItem", tableName, () -> {
            try {
                dynamo.putItem(r -> {
                    r.tableName(tableName).item(item);
                    if (staleHolder == null) {
                        r.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
                    } else {
                        r.conditionExpression("rollout_id = :stale")
                                .expressionAttributeValues(Map.of(":stale", s(staleHolder)));
                    }
                });
                return true;
            } catch (ConditionalCheckFailedException held) {
                return false;
            }
        });
    }

    /** The rollout that holds the fleet's lock, if any. */
    Optional<String> lockHolder() {
        Map<String, AttributeValue> item = getItem(LOCK_PK, LOCK_SK);
        return item.isEmpty()
                ? Optional.empty()
                : Optional.of(item.get("rollout_id").s());
    }

    /** Gives the lock back when a rollout could not be started after taking it. */
    void unlock(String rolloutId) {
        AwsCall.call("dynamodb:DeleteItem", tableName, () -> {
            try {
                return dynamo.deleteItem(r -> r.tableName(tableName)
                        .key(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK)))
                        .conditionExpression("rollout_id = :id")
                        .expressionAttributeValues(Map.of(":id", s(rolloutId))));
            } catch (ConditionalCheckFailedException notOurs) {
                return null; // another rollout took it over: not ours to give back
            }
        });
    }

    /** Writes a new rollout's waves, then its record ({@code STARTING}, control {@code RUN}, no failures). */
    void create(Rollout rollout, List<List<RolloutPlan.Target>> waves) {
        for (int i = 0; i < waves.size(); i++) {
            List<AttributeValue> servers = waves.get(i).stream()
                    .map(t -> AttributeValue.fromM(Map.of("owner", s(t.owner()), "gameserver_id", s(t.gameServerId()))))
                    .toList();
            String sk = WAVE_SK_PREFIX + i;
            AwsCall.call(
                    "dynamodb:PutItem",
                    tableName,
                    () -> dynamo.putItem(r -> r.tableName(tableName)
                            .item(Map.of(
                                    PK,
                                    s(ROLLOUT_PK_PREFIX + rollout.rolloutId()),
                                    SK,
                                    s(sk),
                                    "servers",
                                    AttributeValue.fromL(servers)))));
        }
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                PK,
                s(ROLLOUT_PK_PREFIX + rollout.rolloutId()),
                SK,
                s(ROLLOUT_SK),
                "rollout_id",
                s(rollout.rolloutId()),
                "release",
                s(rollout.release()),
                "status",
                s(rollout.status()),
                "control",
                s(rollout.control()),
                "wave",
                n(0),
                "waves",
                n(rollout.waves()),
                "servers",
                n(rollout.servers()),
                "failures",
                n(0)));
        item.putAll(Map.of(
                "max_failures", n(rollout.maxFailures()),
                "alarm_name", s(rollout.alarmName()),
                "bake_seconds", n(rollout.bakeSeconds()),
                "execution_arn", s(rollout.executionArn()),
                "started_at", s(rollout.startedAt().toString())));
        if (rollout.fromRelease() != null) {
            item.put("from_release", s(rollout.fromRelease()));
        }
        AwsCall.call(
                "dynamodb:PutItem",
                tableName,
                () -> dynamo.putItem(r -> r.tableName(tableName).item(item)));
    }

    /** Records that the rollout could not start, so that it is not taken for a live one. */
    void failToStart(String rolloutId, String reason) {
        AwsCall.call(
                "dynamodb:UpdateItem",
                tableName,
                () -> dynamo.updateItem(r -> r.tableName(tableName)
                        .key(Map.of(PK, s(ROLLOUT_PK_PREFIX + rolloutId), SK, s(ROLLOUT_SK)))
                        .updateExpression("SET #status = :failed, reason = :reason, ended_at = :now")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":failed",
                                s("FAILED"),
                                ":reason",
                                s(reason),
                                ":now",
                                s(Instant.now().toString())))));
    }

    /**
     * Asks a live rollout's workflow to pause, resume or stop: it looks at {@code control} between waves (a stop also
     * while a wave waits).
     *
     * @return false when the rollout is not live (nothing written)
     */
    boolean control(String rolloutId, String control) {
        return AwsCall.call("dynamodb:UpdateItem", tableName, () -> {
            try {
                dynamo.updateItem(r -> r.tableName(tableName)
                        .key(Map.of(PK, s(ROLLOUT_PK_PREFIX + rolloutId), SK, s(ROLLOUT_SK)))
                        .updateExpression("SET #control = :control")
                        .conditionExpression("#status IN (:starting, :running, :paused)")
                        .expressionAttributeNames(Map.of("#control", "control", "#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":control", s(control),
                                ":starting", s("STARTING"),
                                ":running", s("RUNNING"),
                                ":paused", s("PAUSED"))));
                return true;
            } catch (ConditionalCheckFailedException notLive) {
                return false;
            }
        });
    }

    /** A rollout's record. */
    Optional<Rollout> get(String rolloutId) {
        Map<String, AttributeValue> item = getItem(ROLLOUT_PK_PREFIX + rolloutId, ROLLOUT_SK);
        return item.isEmpty() ? Optional.empty() : Optional.of(rollout(item));
    }

    /** Every rollout's record, the latest first (a Scan: the table holds releases and rollouts only). */
    List<Rollout> list() {
        List<Rollout> rollouts = new ArrayList<>();
        AwsCall.call("dynamodb:Scan", tableName, () -> {
            dynamo.scanPaginator(r -> r.tableName(tableName)
                            .consistentRead(true)
                            .filterExpression("#sk = :rollout")
                            .expressionAttributeNames(Map.of("#sk", SK))
                            .expressionAttributeValues(Map.of(":rollout", s(ROLLOUT_SK))))
                    .items()
                    .forEach(item -> rollouts.add(rollout(item)));
            return null;
        });
        rollouts.sort(Comparator.comparing(Rollout::startedAt).reversed());
        return rollouts;
    }

    /** The planned servers of one wave. */
    List<RolloutPlan.Target> wave(String rolloutId, long wave) {
        Map<String, AttributeValue> item = getItem(ROLLOUT_PK_PREFIX + rolloutId, WAVE_SK_PREFIX + wave);
        return item.isEmpty()
                ? List.of()
                : item.get("servers").l().stream()
                        .map(AttributeValue::m)
                        .map(m -> new RolloutPlan.Target(
                                m.get("owner").s(), m.get("gameserver_id").s()))
                        .toList();
    }

    private Map<String, AttributeValue> getItem(String pk, String sk) {
        Map<String, AttributeValue> item = AwsCall.call(
                "dynamodb:GetItem",
                tableName,
                () -> dynamo.getItem(r -> r.tableName(tableName)
                                .key(Map.of(PK, s(pk), SK, s(sk)))
                                .consistentRead(true))
                        .item());
        return item == null ? Map.of() : item;
    }

    private static Rollout rollout(Map<String, AttributeValue> item) {
        AttributeValue failed = item.get("failed_servers");
        return new Rollout(
                Attributes.string(item, "rollout_id"),
                Attributes.string(item, "release"),
                Attributes.string(item, "from_release"),
                Attributes.string(item, "status"),
                Attributes.string(item, "control"),
                number(item, "wave"),
                number(item, "waves"),
                number(item, "servers"),
                number(item, "failures"),
                failed == null ? List.of() : failed.ss().stream().sorted().toList(),
                number(item, "max_failures"),
                Attributes.string(item, "alarm_name"),
                number(item, "bake_seconds"),
                Attributes.string(item, "reason"),
                Attributes.string(item, "execution_arn"),
                instant(Attributes.string(item, "started_at")),
                instant(Attributes.string(item, "ended_at")));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        Long value = Attributes.number(item, name);
        return value == null ? 0 : value;
    }

    private static Instant instant(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
