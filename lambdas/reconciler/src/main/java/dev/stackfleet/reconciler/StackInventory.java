package dev.stackfleet.reconciler;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Lists the fleet's stacks of one workload account and region: one {@code DescribeStacks} without a stack name per
 * page of stacks (parameters and tags included), through the account's read-only observer role. That is what keeps
 * a pass cheap: its cost grows with the number of accounts and stacks, not one call per healthy server.
 */
final class StackInventory {

    private final WorkloadClients clients;
    private final CallCount calls;

    StackInventory(WorkloadClients clients, CallCount calls) {
        this.clients = clients;
        this.calls = calls;
    }

    /**
     * The fleet's stacks of an account (except deleted ones), by name; empty when {@code outOfTime} said stop
     * between two pages, since a partial listing would make listed servers look as if their stacks were gone.
     */
    Optional<Map<String, FleetStack>> list(String accountId, String region, String roleArn, BooleanSupplier outOfTime) {
        Map<String, FleetStack> stacks = new HashMap<>();
        calls.add("sts:AssumeRole");
        try (CloudFormationClient cfn = clients.cloudFormation(roleArn, region)) {
            String token = null;
            do {
                if (outOfTime.getAsBoolean()) {
                    return Optional.empty();
                }
                String page = token;
                calls.add("cloudformation:DescribeStacks");
                DescribeStacksResponse response = cfn.describeStacks(b -> b.nextToken(page));
                for (Stack stack : response.stacks()) {
                    FleetStack fleetStack = FleetStack.of(accountId, region, stack);
                    if (fleetStack.isFleetStack()) {
                        stacks.put(fleetStack.name(), fleetStack);
                    }
                }
                token = response.nextToken();
            } while (token != null);
        }
        return Optional.of(stacks);
    }
}
