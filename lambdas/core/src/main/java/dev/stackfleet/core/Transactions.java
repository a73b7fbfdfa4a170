package dev.stackfleet.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@code TransactWriteItems} with DynamoDB's cancellations sorted out. A transaction that lost to a concurrent
 * one on the same item ({@code TransactionConflict}, common when one owner's creates race for the quota item)
 * or was throttled is tried again, up to {@value #ATTEMPTS} times with full-jitter backoff, then thrown; one
 * that its conditions rejected is returned with the reasons; anything else is thrown.
 */
public final class Transactions {

    static final int ATTEMPTS = 5;
    private static final Duration BACKOFF_BASE = Duration.ofMillis(25);
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final Set<String> TRANSIENT =
            Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    /** The reasons of a transaction its conditions rejected, one per item in request order; nothing was written. */
    public record Rejection(List<CancellationReason> reasons) {

        /** Whether the condition of the item at this position failed. */
        public boolean conditionFailed(int item) {
            return CONDITION_FAILED.equals(reasons.get(item).code());
        }
    }

    private final DynamoDbClient dynamoDb;

    public Transactions(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /**
     * Writes all items or none.
     *
     * @param token the request's idempotency token: DynamoDB answers a repeat within 10 minutes (the
     *     client's own retry after a lost answer) as it answered the first, instead of checking the conditions again
     * @return empty when written, the rejection when a condition failed
     * @throws TransactionCanceledException when it was still cancelled for a transient reason after the last
     *     attempt, or for any reason other than a condition
     */
    public Optional<Rejection> write(String token, TransactWriteItem... items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(r -> r.clientRequestToken(token).transactItems(items));
                return Optional.empty();
            } catch (TransactionCanceledException e) {
                if (isTransient(e) && attempt < ATTEMPTS) {
                    backOff(attempt);
                } else if (!isTransient(e)
                        && e.cancellationReasons().stream()
                                .anyMatch(reason -> CONDITION_FAILED.equals(reason.code()))) {
                    return Optional.of(new Rejection(e.cancellationReasons()));
                } else {
                    throw e;
                }
            }
        }
    }

    /** Whether a cancelled transaction may succeed when tried again later: a conflict or throttling. */
    public static boolean isTransient(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                && e.cancellationReasons().stream().anyMatch(reason -> TRANSIENT.contains(reason.code()));
    }

    private static void backOff(int attempt) {
        long ceiling = BACKOFF_BASE.toNanos() << attempt;
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1, ceiling));
    }
}
