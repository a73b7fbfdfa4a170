package dev.stackfleet.core;

/**
 * The quota table of docs/contracts.md: one item per owner, {@value #OWNER} (partition key) and
 * {@value #SERVERS}, a String Set of the owner's live server ids. The API adds an id in the same
 * transaction that creates the server and deletes it in the one that requests its deletion; the
 * deprovision workflow deletes it again when it removes the item (set operations are idempotent).
 */
public final class QuotaAttributes {

    public static final String OWNER = "owner";
    public static final String SERVERS = "servers";

    private QuotaAttributes() {}
}
