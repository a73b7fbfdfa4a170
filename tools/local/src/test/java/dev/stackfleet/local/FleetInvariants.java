package dev.stackfleet.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * The design's invariants, checked against the emulator's table, executions and stacks once the fleet is quiet
 * (docs/contracts.md; DESIGN.md "Invariants"): one stack per live server and none for deleted ones, no deleted
 * server resurrected, an {@code ACTIVE} server's stack running the config of its generation, one execution per
 * intent.
 */
public final class FleetInvariants {

    private static final Set<String> SETTLED = Set.of("ACTIVE", "CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED");

    private final DynamoDbClient dynamo;
    private final SfnClient sfn;
    private final CloudFormationClient cloudFormation;
    private final List<String> machines;

    /** Reads the emulator directly, never through a proxy that injects faults. */
    public FleetInvariants(LocalAws aws, LocalResources.Created resources) {
        this.dynamo = aws.dynamoDb();
        this.sfn = aws.sfn();
        this.cloudFormation = aws.cloudFormation();
        this.machines = List.of(resources.provisionArn(), resources.deprovisionArn());
    }

    /**
     * Waits until no execution runs and every item has a settled status, and then checks once more: a status
     * write and the stream record it makes may start the next execution just after the first look.
     */
    public void awaitQuiet(Duration deadline) {
        for (String look : List.of("first", "second")) {
            Await.until(
                    deadline,
                    "the fleet to settle (no running execution, no pending or in-progress item), " + look + " look",
                    this::quiet);
        }
    }

    private boolean quiet() {
        boolean running = machines.stream()
                .anyMatch(
                        arn -> sfn
                                .listExecutionsPaginator(
                                        r -> r.stateMachineArn(arn).statusFilter("RUNNING"))
                                .executions()
                                .stream()
                                .findAny()
                                .isPresent());
        return !running
                && items().stream()
                        .allMatch(item -> SETTLED.contains(item.get("status").s()));
    }

    /** Every invariant that does not hold, in words; empty when all hold. */
    public List<String> violations() {
        return violations(id -> true);
    }

    /** The same, for the servers whose ids pass the filter. */
    public List<String> violations(Predicate<String> servers) {
        List<String> violations = new ArrayList<>();
        List<Map<String, AttributeValue>> items = items().stream()
                .filter(item -> servers.test(item.get("gameserver_id").s()))
                .toList();
        Map<String, Stack> stacks = cloudFormation.describeStacksPaginator(r -> {}).stacks().stream()
                .filter(s -> s.stackName().startsWith("stackfleet-gs-"))
                .filter(s -> servers.test(s.stackName().substring("stackfleet-".length())))
                .collect(Collectors.toMap(Stack::stackName, s -> s));
        Set<String> itemStacks =
                items.stream().map(i -> i.get("stack_name").s()).collect(Collectors.toSet());
        for (String stack : stacks.keySet()) {
            if (!itemStacks.contains(stack)) {
                violations.add("stack " + stack + " has no item (a deleted server's stack, or an orphan)");
            }
        }
        for (Map<String, AttributeValue> item : items) {
            String id = item.get("gameserver_id").s();
            String status = item.get("status").s();
            if (item.containsKey("delete_requested")) {
                violations.add(id + " is delete-requested but still there (" + status + ")");
            }
            if (!"ACTIVE".equals(status)) {
                continue;
            }
            if (!item.get("generation")
                    .n()
                    .equals(
                            item.containsKey("observed_generation")
                                    ? item.get("observed_generation").n()
                                    : null)) {
                violations.add(id + " is ACTIVE at observed_generation " + item.get("observed_generation")
                        + " but generation " + item.get("generation").n());
            }
            Stack stack = stacks.get(item.get("stack_name").s());
            if (stack == null) {
                violations.add(id + " is ACTIVE without a stack");
                continue;
            }
            Map<String, String> parameters = stack.parameters().stream()
                    .collect(Collectors.toMap(Parameter::parameterKey, Parameter::parameterValue));
            Map<String, AttributeValue> config = item.get("config").m();
            Map<String, String> expected = Map.of(
                    "Difficulty",
                    config.get("difficulty").s(),
                    "PlayerCount",
                    config.get("player_count").n(),
                    "Seed",
                    config.get("seed").s());
            expected.forEach((key, value) -> {
                if (!value.equals(parameters.get(key))) {
                    violations.add(id + "'s stack has " + key + "=" + parameters.get(key) + ", its config " + value);
                }
            });
        }
        return violations;
    }

    /** How many executions each name has: always one per name, so the keys are the intents that ran. */
    public Map<String, Long> executionsByName(String gameServerId) {
        Map<String, Long> counts = new HashMap<>();
        for (String arn : machines) {
            for (ExecutionListItem execution :
                    sfn.listExecutionsPaginator(r -> r.stateMachineArn(arn)).executions()) {
                if (execution.name().startsWith(gameServerId + "-")) {
                    counts.merge(execution.name(), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** Every item of the table. */
    public List<Map<String, AttributeValue>> items() {
        return dynamo.scanPaginator(r -> r.tableName(LocalResources.TABLE_NAME).consistentRead(true)).items().stream()
                .toList();
    }
}
