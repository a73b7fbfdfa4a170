package dev.stackfleet.core;

import static dev.stackfleet.core.AccountPoolAttributes.ACCOUNT_ID;
import static dev.stackfleet.core.AccountPoolAttributes.CAPACITY;
import static dev.stackfleet.core.AccountPoolAttributes.QUARANTINED_AT;
import static dev.stackfleet.core.AccountPoolAttributes.QUARANTINE_REASON;
import static dev.stackfleet.core.AccountPoolAttributes.REGION;
import static dev.stackfleet.core.AccountPoolAttributes.STATE;
import static dev.stackfleet.core.AccountPoolAttributes.USED;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One workload account of the placement pool as its table item holds it.
 *
 * @param accountId the account
 * @param region the region its servers run in
 * @param capacity the most servers it holds
 * @param state whether it takes new servers (settings)
 * @param used how many servers hold a slot in it
 * @param quarantineReason why an operator quarantined it, or null
 * @param quarantinedAt when, or null
 */
public record PoolAccount(
        String accountId,
        String region,
        long capacity,
        State state,
        long used,
        String quarantineReason,
        String quarantinedAt) {

    /** Set in the deployment settings. */
    public enum State {
        /** Takes new servers. */
        OPEN,
        /** Takes no new servers; the ones it holds stay and are managed as before. */
        DRAINING;

        /** As the table and the settings spell it. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state spelled so; an unknown spelling names the allowed ones. */
        public static State of(String value) {
            for (State state : values()) {
                if (state.value().equals(value)) {
                    return state;
                }
            }
            throw new IllegalArgumentException("an account's state is open or draining, not '" + value + "'");
        }
    }

    public PoolAccount {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(state, "state");
    }

    /** Reads a pool item; a damaged one names what is wrong. */
    public static PoolAccount fromItem(Map<String, AttributeValue> item) {
        String where = "account pool item";
        try {
            return new PoolAccount(
                    ItemReader.string(item, ACCOUNT_ID, where),
                    ItemReader.string(item, REGION, where),
                    ItemReader.decimal(item, CAPACITY, where).longValueExact(),
                    State.of(ItemReader.string(item, STATE, where)),
                    ItemReader.has(item, USED)
                            ? ItemReader.decimal(item, USED, where).longValueExact()
                            : 0,
                    ItemReader.has(item, QUARANTINE_REASON)
                            ? item.get(QUARANTINE_REASON).s()
                            : null,
                    ItemReader.has(item, QUARANTINED_AT)
                            ? item.get(QUARANTINED_AT).s()
                            : null);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new MalformedItemException(where + " " + item.get(ACCOUNT_ID) + ": " + e.getMessage());
        }
    }

    public boolean quarantined() {
        return quarantineReason != null;
    }

    /** How many more servers it holds. */
    public long headroom() {
        return Math.max(0, capacity - used);
    }

    /** Open, not quarantined and not full. */
    public boolean takesNewServers() {
        return state == State.OPEN && !quarantined() && headroom() > 0;
    }

    /**
     * Where a new server goes: the account that takes new servers with the most headroom; on a tie the lowest
     * account id, so that the same pool always gives the same answer.
     */
    public static Optional<PoolAccount> choose(Collection<PoolAccount> pool) {
        return pool.stream()
                .filter(PoolAccount::takesNewServers)
                .min(Comparator.comparingLong(PoolAccount::headroom).reversed().thenComparing(PoolAccount::accountId));
    }
}
