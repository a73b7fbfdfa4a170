package dev.stackfleet.core;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Where a server's stack lives, decided once at creation: a stack never moves silently.
 *
 * @param accountId the workload account
 * @param region the workload region
 * @param roleArn the access role the workflows assume in that account
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Placement(String accountId, String region, String roleArn) {

    public Placement {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(roleArn, "roleArn");
    }

    /** A role ARN's role in another account: {@code arn:aws:iam::<accountId>:role/<same name>}. */
    public static String sameRoleIn(String roleArn, String accountId) {
        return roleArn.replaceFirst("^(arn:[^:]+:iam::)\\d{12}(:)", "$1" + accountId + "$2");
    }

    /** The placement for a role name in an account, e.g. {@code stackfleet-workload-access}. */
    public static Placement of(String accountId, String region, String roleName) {
        return new Placement(accountId, region, "arn:aws:iam::" + accountId + ":role/" + roleName);
    }
}
