package dev.stackfleet.core;

import static dev.stackfleet.core.GameServerItem.s;
import static dev.stackfleet.core.ReleaseAttributes.CURRENT_PK;
import static dev.stackfleet.core.ReleaseAttributes.CURRENT_SK;
import static dev.stackfleet.core.ReleaseAttributes.PK;
import static dev.stackfleet.core.ReleaseAttributes.PREVIOUS;
import static dev.stackfleet.core.ReleaseAttributes.PUBLISHED_AT;
import static dev.stackfleet.core.ReleaseAttributes.RELEASE_PK;
import static dev.stackfleet.core.ReleaseAttributes.SHA256;
import static dev.stackfleet.core.ReleaseAttributes.SK;
import static dev.stackfleet.core.ReleaseAttributes.TEMPLATE_KEY;
import static dev.stackfleet.core.ReleaseAttributes.VERSION;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The releases in the releases table ({@link ReleaseAttributes}): the record of each published release and the
 * pointer to the current one, which new servers get.
 */
public final class ReleaseTable {

    /** The current release and the one before it (the target of a rollback), if any. */
    public record Current(String version, String previous) {}

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public ReleaseTable(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * Records a release whose template is in the bucket. Publishing the same template again changes nothing.
     *
     * @return false when it was already recorded
     * @throws IllegalStateException when the version is recorded for another template (a hash prefix collision)
     */
    public boolean record(Release release) {
        try {
            dynamoDb.putItem(r -> r.tableName(tableName)
                    .item(Map.of(
                            PK, s(RELEASE_PK),
                            SK, s(release.version()),
                            VERSION, s(release.version()),
                            SHA256, s(release.sha256()),
                            TEMPLATE_KEY, s(release.templateKey()),
                            PUBLISHED_AT, s(release.publishedAt().toString())))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            Release recorded = get(release.version()).orElseThrow();
            if (!recorded.sha256().equals(release.sha256())) {
                throw new IllegalStateException("Release " + release.version() + " is another template (SHA-256 "
                        + recorded.sha256() + "); nothing was published");
            }
            return false;
        }
    }

    /** A published release. */
    public Optional<Release> get(String version) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName)
                        .key(Map.of(PK, s(RELEASE_PK), SK, s(version)))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(release(item));
    }

    /** Every published release, oldest first. */
    public List<Release> list() {
        return dynamoDb
                .queryPaginator(r -> r.tableName(tableName)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(RELEASE_PK)))
                        .consistentRead(true))
                .items()
                .stream()
                .map(ReleaseTable::release)
                .sorted((a, b) -> a.publishedAt().compareTo(b.publishedAt()))
                .toList();
    }

    /** The release new servers get, if one was made current. */
    public Optional<Current> current() {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName)
                        .key(Map.of(PK, s(CURRENT_PK), SK, s(CURRENT_SK)))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String version = item.get(VERSION).s();
        String previous = item.get(PREVIOUS).s();
        return Optional.of(new Current(version, previous.equals(version) ? null : previous));
    }

    /**
     * Makes a release the one new servers get, remembering the one it replaces as {@code previous}. Making the
     * current release current again changes nothing.
     */
    public void makeCurrent(String version) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName)
                    .key(Map.of(PK, s(CURRENT_PK), SK, s(CURRENT_SK)))
                    // Every right-hand side reads the item as it was: previous gets the old version (the first
                    // release is its own previous: there is nothing to roll back to).
                    .updateExpression("SET #previous = if_not_exists(#version, :version), #version = :version")
                    .conditionExpression("attribute_not_exists(#version) OR #version <> :version")
                    .expressionAttributeNames(Map.of("#previous", PREVIOUS, "#version", VERSION))
                    .expressionAttributeValues(Map.of(":version", s(version))));
        } catch (ConditionalCheckFailedException alreadyCurrent) {
            // Nothing to change.
        }
    }

    private static Release release(Map<String, AttributeValue> item) {
        return new Release(
                item.get(VERSION).s(),
                item.get(SHA256).s(),
                Instant.parse(item.get(PUBLISHED_AT).s()));
    }
}
