package dev.stackfleet.ops;

import dev.stackfleet.core.ItemAttributes;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Reads the game server table for operators. It uses the cheapest access path the question allows: the
 * {@code by-status} index for statuses, the partition key for an owner, and a Scan only when neither is
 * known (each Scan is announced on standard error, since it reads the whole table).
 */
final class GameServerTable {

    /** The index on {@code status} and {@code updated_at} (contracts: "which servers are failing, newest first"). */
    static final String BY_STATUS = "by-status";

    static final Comparator<ServerView> NEWEST_FIRST =
            Comparator.comparing(ServerView::updatedAt, Comparator.nullsLast(Comparator.reverseOrder()));

    /** The attribute names of a pause or a resume, conditional on the item still existing. */
    private static final Map<String, String> ITEM_EXISTS_AND_PAUSE_NAMES = Map.of(
            "#reason",
            ItemAttributes.PAUSE_REASON,
            "#at",
            ItemAttributes.PAUSED_AT,
            "#id",
            ItemAttributes.GAMESERVER_ID);

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final PrintWriter err;

    /**
     * @param dynamo the client for the control plane's account and region
     * @param tableName the table, e.g. {@code gameservers}
     * @param err where progress and notes go
     */
    GameServerTable(DynamoDbClient dynamo, String tableName, PrintWriter err) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.err = err;
    }

    /**
     * Which servers to list; every part is optional.
     *
     * @param statuses only these statuses (empty for all)
     * @param owner only this owner's servers, or {@code null}
     * @param since only servers changed at or after this time, or {@code null}
     */
    record Filter(List<String> statuses, String owner, Instant since) {}

    /** The servers that match, the most recently changed first. */
    List<ServerView> list(Filter filter) {
        List<ServerView> servers = new ArrayList<>();
        if (filter.owner() != null) {
            servers.addAll(queryOwner(filter));
        } else if (!filter.statuses().isEmpty()) {
            for (String status : filter.statuses()) {
                servers.addAll(queryStatus(status, filter.since()));
            }
        } else {
            err.println("note: no --status or --owner given, so the whole table " + tableName + " is scanned");
            servers.addAll(scan(filter.since(), null));
        }
        servers.sort(NEWEST_FIRST);
        return servers;
    }

    /** The item with this key, if it exists (a strongly consistent read). */
    Optional<ServerView> get(String owner, String gameServerId) {
        Map<String, AttributeValue> key = Map.of(
                ItemAttributes.OWNER, AttributeValue.fromS(owner), "gameserver_id", AttributeValue.fromS(gameServerId));
        Map<String, AttributeValue> item = AwsCall.call(
                "dynamodb:GetItem",
                tableName,
                () -> dynamo.getItem(GetItemRequest.builder()
                                .tableName(tableName)
                                .key(key)
                                .consistentRead(true)
                                .build())
                        .item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ServerView.from(item));
    }

    /**
     * Pauses a server, or changes the reason it is paused for: reconcile passes and fleet operations leave it alone.
     * The write touches no attribute the stream reacts to, so it starts no workflow.
     *
     * @return false when the item no longer exists (nothing written)
     */
    boolean pause(ServerView server, String reason, Instant at) {
        return conditionalUpdate(
                server,
                "SET #reason = :reason, #at = :at",
                "attribute_exists(#id)",
                ITEM_EXISTS_AND_PAUSE_NAMES,
                Map.of(":reason", AttributeValue.fromS(reason), ":at", AttributeValue.fromS(at.toString())));
    }

    /**
     * Ends a server's pause.
     *
     * @return false when the item no longer exists (nothing written)
     */
    boolean resume(ServerView server) {
        return conditionalUpdate(
                server, "REMOVE #reason, #at", "attribute_exists(#id)", ITEM_EXISTS_AND_PAUSE_NAMES, Map.of());
    }

    /**
     * Points a server at another release without a new generation, as a replay onto that release does first: the
     * stream starts nothing for it (the generation is unchanged), the replay's input carries the release.
     *
     * @return false when the server changed since it was read (its generation or status), nothing written
     */
    boolean retarget(ServerView server, String release) {
        return conditionalUpdate(
                server,
                "SET #release = :release",
                "#generation = :generation AND #status = :status",
                Map.of(
                        "#release",
                        ItemAttributes.RELEASE,
                        "#generation",
                        ItemAttributes.GENERATION,
                        "#status",
                        ItemAttributes.STATUS),
                Map.of(
                        ":release",
                        AttributeValue.fromS(release),
                        ":generation",
                        AttributeValue.fromN(Long.toString(server.generation())),
                        ":status",
                        AttributeValue.fromS(server.status())));
    }

    private boolean conditionalUpdate(
            ServerView server,
            String update,
            String condition,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        UpdateItemRequest.Builder request = UpdateItemRequest.builder()
                .tableName(tableName)
                .key(Map.of(
                        ItemAttributes.OWNER,
                        AttributeValue.fromS(server.owner()),
                        ItemAttributes.GAMESERVER_ID,
                        AttributeValue.fromS(server.gameServerId())))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(names);
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        return AwsCall.call("dynamodb:UpdateItem", tableName, () -> {
            try {
                dynamo.updateItem(request.build());
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    /**
     * Finds a server by id alone with a filtered Scan: the table is keyed by owner, so this reads every item.
     * Callers try cheaper ways first.
     */
    Optional<ServerView> scanForId(String gameServerId) {
        err.println("note: the owner of " + gameServerId + " is not known, so the whole table " + tableName
                + " is scanned for it (pass --owner to avoid this)");
        return scan(null, gameServerId).stream().findFirst();
    }

    private List<ServerView> queryStatus(String status, Instant since) {
        QueryRequest request = statusQuery(status, since, null).build();
        return read(
                "dynamodb:Query",
                tableName + "/index/" + BY_STATUS,
                "querying " + status,
                () -> dynamo.queryPaginator(request),
                page -> page.items());
    }

    /**
     * One page of the servers in a status, the most recently changed first, from the {@code by-status} index.
     *
     * @param before only servers unchanged since this time (e.g. stuck ones), or {@code null}
     * @param limit at most this many servers
     * @param after the {@link Page#next()} of the previous page, or {@code null} for the first
     */
    Page page(String status, Instant before, int limit, String after) {
        QueryRequest.Builder request = statusQuery(status, null, before).limit(limit);
        if (after != null) {
            request.exclusiveStartKey(PageToken.decode(after));
        }
        return AwsCall.call("dynamodb:Query", tableName + "/index/" + BY_STATUS, () -> {
            var response = dynamo.query(request.build());
            return new Page(
                    response.items().stream().map(ServerView::from).toList(),
                    response.hasLastEvaluatedKey()
                                    && !response.lastEvaluatedKey().isEmpty()
                            ? PageToken.encode(response.lastEvaluatedKey())
                            : null);
        });
    }

    /**
     * A page of servers.
     *
     * @param servers the servers of this page
     * @param next the token of the next page, or {@code null} when this is the last
     */
    record Page(List<ServerView> servers, String next) {}

    /** How many servers are in a status: a count-only Query of the {@code by-status} index (no items read out). */
    long count(String status) {
        QueryRequest request =
                statusQuery(status, null, null).select(Select.COUNT).build();
        return AwsCall.call("dynamodb:Query", tableName + "/index/" + BY_STATUS, () -> {
            long count = 0;
            for (var page : dynamo.queryPaginator(request)) {
                count += page.count();
            }
            return count;
        });
    }

    private QueryRequest.Builder statusQuery(String status, Instant since, Instant before) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", AttributeValue.fromS(status)));
        String condition = "#status = :status";
        if (since != null) {
            names.put("#updated", "updated_at");
            values.put(":since", AttributeValue.fromS(sinceKey(since)));
            condition += " AND #updated >= :since";
        } else if (before != null) {
            names.put("#updated", "updated_at");
            values.put(":before", AttributeValue.fromS(sinceKey(before)));
            condition += " AND #updated < :before";
        }
        return QueryRequest.builder()
                .tableName(tableName)
                .indexName(BY_STATUS)
                .keyConditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(false);
    }

    private List<ServerView> queryOwner(Filter filter) {
        Map<String, String> names = new HashMap<>(Map.of("#owner", ItemAttributes.OWNER));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":owner", AttributeValue.fromS(filter.owner())));
        List<String> conditions = new ArrayList<>();
        if (!filter.statuses().isEmpty()) {
            names.put("#status", "status");
            List<String> placeholders = new ArrayList<>();
            for (int i = 0; i < filter.statuses().size(); i++) {
                placeholders.add(":s" + i);
                values.put(":s" + i, AttributeValue.fromS(filter.statuses().get(i)));
            }
            conditions.add("#status IN (" + String.join(", ", placeholders) + ")");
        }
        if (filter.since() != null) {
            names.put("#updated", "updated_at");
            values.put(":since", AttributeValue.fromS(sinceKey(filter.since())));
            conditions.add("#updated >= :since");
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("#owner = :owner")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
        if (!conditions.isEmpty()) {
            request.filterExpression(String.join(" AND ", conditions));
        }
        return read(
                "dynamodb:Query",
                tableName,
                "querying " + filter.owner() + "'s servers",
                () -> dynamo.queryPaginator(request.build()),
                page -> page.items());
    }

    /** A Scan, optionally only for one id and only for servers changed since a time. */
    private List<ServerView> scan(Instant since, String gameServerId) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        if (gameServerId != null) {
            names.put("#id", "gameserver_id");
            values.put(":id", AttributeValue.fromS(gameServerId));
            conditions.add("#id = :id");
        }
        if (since != null) {
            names.put("#updated", "updated_at");
            values.put(":since", AttributeValue.fromS(sinceKey(since)));
            conditions.add("#updated >= :since");
        }
        ScanRequest.Builder request = ScanRequest.builder().tableName(tableName);
        if (!conditions.isEmpty()) {
            request.filterExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values);
        }
        return read(
                "dynamodb:Scan",
                tableName,
                "scanning " + tableName,
                () -> dynamo.scanPaginator(request.build()),
                page -> page.items());
    }

    private <P> List<ServerView> read(
            String action,
            String resource,
            String what,
            Supplier<SdkIterable<P>> pages,
            Function<P, List<Map<String, AttributeValue>>> items) {
        Progress progress = new Progress(err, what);
        return AwsCall.call(action, resource, () -> {
            List<ServerView> servers = new ArrayList<>();
            for (P page : pages.get()) {
                items.apply(page).forEach(item -> servers.add(ServerView.from(item)));
                progress.update(servers.size(), "servers");
            }
            return servers;
        });
    }

    /**
     * The lower bound for {@code updated_at >= :since}. Writers store ISO-8601 with a variable fraction of
     * seconds ({@code ...:00Z}, {@code ...:00.5Z}), which does not sort as text around a whole second; the
     * bound is therefore the whole second without the zone letter, a prefix of both forms.
     */
    static String sinceKey(Instant since) {
        return since.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "");
    }
}
