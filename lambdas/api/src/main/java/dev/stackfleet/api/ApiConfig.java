package dev.stackfleet.api;

import dev.stackfleet.core.OwnerClaim;
import dev.stackfleet.core.Placement;
import dev.stackfleet.core.PoolAccount;
import java.util.Map;
import java.util.function.Function;

/**
 * The API Lambdas' configuration, read once from the environment the CDK app sets.
 *
 * @param tableName {@code TABLE_NAME}
 * @param quotaTableName {@code QUOTA_TABLE_NAME}: the owners' quota records
 * @param accountPoolTableName {@code ACCOUNT_POOL_TABLE_NAME}: the workload accounts new servers are placed in
 * @param releasesTableName {@code RELEASES_TABLE_NAME}: the template releases, of which new servers get the current
 * @param maxServersPerOwner {@code MAX_SERVERS_PER_OWNER}, default {@value #DEFAULT_MAX_SERVERS_PER_OWNER}
 * @param ownerClaim {@code OWNER_CLAIM}: which claims identify an owner (see {@link OwnerClaim}), default {@code sub}
 * @param placementRoleName {@code PLACEMENT_ROLE_NAME}: the workflows' role in every workload account, default
 *     {@code stackfleet-workload-access}
 */
public record ApiConfig(
        String tableName,
        String quotaTableName,
        String accountPoolTableName,
        String releasesTableName,
        int maxServersPerOwner,
        OwnerClaim ownerClaim,
        String placementRoleName) {

    static final String DEFAULT_ROLE_NAME = "stackfleet-workload-access";
    public static final int DEFAULT_MAX_SERVERS_PER_OWNER = 10;

    /** Reads the configuration; fails with the variable's name when a required one is missing or wrong. */
    public static ApiConfig from(Function<String, String> env) {
        String quota = optional(env, "MAX_SERVERS_PER_OWNER", Integer.toString(DEFAULT_MAX_SERVERS_PER_OWNER));
        int maxServers;
        try {
            maxServers = Integer.parseInt(quota);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("MAX_SERVERS_PER_OWNER must be a whole number, not " + quota);
        }
        if (maxServers < 1) {
            throw new IllegalStateException("MAX_SERVERS_PER_OWNER must be at least 1, not " + maxServers);
        }
        return new ApiConfig(
                required(env, "TABLE_NAME"),
                required(env, "QUOTA_TABLE_NAME"),
                required(env, "ACCOUNT_POOL_TABLE_NAME"),
                required(env, "RELEASES_TABLE_NAME"),
                maxServers,
                ownerClaim(env),
                optional(env, "PLACEMENT_ROLE_NAME", DEFAULT_ROLE_NAME));
    }

    /** Where a new server in this pool account lives. */
    public Placement placementIn(PoolAccount account) {
        return Placement.of(account.accountId(), account.region(), placementRoleName);
    }

    /** Reads the configuration from a map, for the local runtime and tests. */
    public static ApiConfig from(Map<String, String> env) {
        return from(env::get);
    }

    private static OwnerClaim ownerClaim(Function<String, String> env) {
        String setting = optional(env, OwnerClaim.ENVIRONMENT_VARIABLE, OwnerClaim.SUBJECT.setting());
        try {
            return new OwnerClaim(setting);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(OwnerClaim.ENVIRONMENT_VARIABLE + ": " + e.getMessage(), e);
        }
    }

    private static String required(Function<String, String> env, String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is required");
        }
        return value;
    }

    private static String optional(Function<String, String> env, String name, String fallback) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
