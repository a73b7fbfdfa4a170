package dev.stackfleet.core;

/**
 * The account pool table of docs/contracts.md: one item per workload account of the placement region. The CDK app
 * (and local mode) writes {@value #REGION}, {@value #CAPACITY} and {@value #STATE} from the settings and starts
 * {@value #USED} at 0; a create adds its server id to {@value #SERVERS} and 1 to {@value #USED} in the transaction
 * that writes the server; the deprovision workflow takes both back once the stack is gone. An operator's quarantine
 * sets {@value #QUARANTINE_REASON} and {@value #QUARANTINED_AT}.
 */
public final class AccountPoolAttributes {

    public static final String ACCOUNT_ID = "account_id";
    public static final String REGION = "region";
    /** The most servers the account holds (CloudFormation allows 2,000 stacks per account and region by default). */
    public static final String CAPACITY = "capacity";
    /** {@code open} or {@code draining}: see {@link PoolAccount.State}. */
    public static final String STATE = "state";
    /** How many servers hold a slot: the size of {@value #SERVERS}, kept as a number so the pool reads small. */
    public static final String USED = "used";
    /** The ids of the servers placed in the account whose stack may still exist. */
    public static final String SERVERS = "servers";

    public static final String QUARANTINE_REASON = "quarantine_reason";
    public static final String QUARANTINED_AT = "quarantined_at";

    private AccountPoolAttributes() {}
}
