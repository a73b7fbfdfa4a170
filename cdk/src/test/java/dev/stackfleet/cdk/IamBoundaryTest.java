package dev.stackfleet.cdk;

import static dev.stackfleet.cdk.Iam.allow;
import static dev.stackfleet.cdk.Iam.comparable;
import static dev.stackfleet.cdk.Iam.deny;
import static dev.stackfleet.cdk.Iam.document;
import static dev.stackfleet.cdk.SynthesizedApp.logicalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The tenant and account boundary, statement by statement: the whole trust and permission documents of every
 * role that crosses an account (the workload account's roles, the workflow role) or serves a tenant (the API
 * functions), and of the template bucket's policy, as CloudFormation deploys them. An added action, a
 * wildcard, a widened resource, a dropped condition or a new principal fails here.
 *
 * <p>Each runs for two installations: the shared test app (two workload accounts, two observer principals)
 * and one with a single workload account and no observer principals.
 */
class IamBoundaryTest {

    private static final String STACKFLEET_STACKS = "stack/stackfleet-*/*";

    /** One installation: its settings, its synthesized stacks and the control plane's deployed values. */
    record Installation(String name, Config config, StackfleetApp.Stacks stacks, CfnValues controlPlane) {

        static Installation of(String name, Config config, StackfleetApp.Stacks stacks) {
            return new Installation(
                    name,
                    config,
                    stacks,
                    CfnValues.of(
                            Template.fromStack(stacks.controlPlane()).toJSON(),
                            config.controlPlaneAccount(),
                            config.region(),
                            Map.of()));
        }

        @Override
        public String toString() {
            return name;
        }

        /** The name CloudFormation gives a control plane resource, which other accounts' stacks name. */
        String roleArn(IConstruct role) {
            Object name = controlPlane.properties(logicalId(role)).orElseThrow().get("RoleName");
            assertTrue(name instanceof String, "role name must be known at synthesis: " + name);
            return "arn:aws:iam::" + config.controlPlaneAccount() + ":role/" + name;
        }

        String templateBucket() {
            Object name = controlPlane
                    .properties(logicalId(stacks.controlPlane().templateBucket()))
                    .orElseThrow()
                    .get("BucketName");
            assertTrue(name instanceof String, "bucket name must be known at synthesis: " + name);
            return (String) name;
        }
    }

    private static List<Installation> installations;

    static synchronized Stream<Installation> installations() {
        if (installations == null) {
            Config oneAccount = new Config(
                    "111111111111",
                    "eu-west-1",
                    List.of(Config.PoolEntry.open("222222222222")),
                    10,
                    5,
                    60,
                    8,
                    Optional.empty(),
                    50,
                    100,
                    Optional.empty(),
                    List.of());
            installations = List.of(
                    Installation.of(
                            "two workload accounts, two observer principals",
                            SynthesizedApp.CONFIG,
                            SynthesizedApp.get().stacks),
                    Installation.of(
                            "one workload account, no observer principals",
                            oneAccount,
                            SynthesizedApp.synthesize(oneAccount)));
        }
        return installations.stream();
    }

    // ---------------------------------------------------------------- the workload account

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theAccessRoleTrustsOnlyTheWorkflowRoleAndManagesOnlyStackfleetStacksWithTheServiceRole(
            Installation installation) {
        // GIVEN the control plane's workflow role and template bucket
        String workflowRole =
                installation.roleArn(installation.stacks().controlPlane().workflowRole());
        String bucket = installation.templateBucket();

        for (WorkloadAccessStack stack : installation.stacks().workloadAccess()) {
            // WHEN the account's access stack is deployed with the control plane's values
            String account = stack.getAccount();
            Map<String, Object> role =
                    workloadRole(stack, Map.of(), "WorkloadAccessRole").orElseThrow();

            // THEN the workflow role alone may assume it, pinned by ARN as well as by principal
            assertEquals(
                    Set.of("RoleName", "Description", "MaxSessionDuration", "AssumeRolePolicyDocument", "Policies"),
                    role.keySet(),
                    "no managed policies, boundary or path besides the inline policy");
            assertEquals("stackfleet-workload-access", role.get("RoleName"));
            assertEquals(
                    comparable(document(assumeOnly(workflowRole))),
                    comparable(role.get("AssumeRolePolicyDocument")),
                    account);
            // AND it may drive CloudFormation for stackfleet-* stacks only, create and update only with the service
            // role, pass that role to CloudFormation only, resolve the networking parameters and read the template
            assertEquals(
                    comparable(List.of(Map.of(
                            "PolicyName",
                            "manage-stackfleet-stacks",
                            "PolicyDocument",
                            accessRolePermissions(account, Optional.of(bucket))))),
                    comparable(role.get("Policies")),
                    account);
        }
    }

    @Test
    void anAccessStackDeployedWithoutTemplateBucketReadsNoBucket() {
        // GIVEN an access stack deployed (e.g. by a StackSet) for workflows that pass the template body
        WorkloadAccessStack stack = SynthesizedApp.get().stacks.workloadAccess().getFirst();

        // WHEN TemplateBucketName is empty
        Map<String, Object> role = workloadRole(stack, Map.of("TemplateBucketName", ""), "WorkloadAccessRole")
                .orElseThrow();

        // THEN the access role's statements are the same, without any s3 statement
        assertEquals(
                comparable(List.of(Map.of(
                        "PolicyName",
                        "manage-stackfleet-stacks",
                        "PolicyDocument",
                        accessRolePermissions(stack.getAccount(), Optional.empty())))),
                comparable(role.get("Policies")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theObserverRoleTrustsTheReconcilerAndTheObserverPrincipalsAndOnlyReadsStacks(Installation installation) {
        // GIVEN the control plane's reconciler role and the configured observer principals
        String reconcilerRole =
                installation.roleArn(installation.stacks().controlPlane().reconcilerRole());
        List<String> observers = installation.config().observerPrincipals();

        for (WorkloadAccessStack stack : installation.stacks().workloadAccess()) {
            // WHEN the account's access stack is deployed with the control plane's values
            String account = stack.getAccount();
            Map<String, Object> role =
                    workloadRole(stack, Map.of(), "WorkloadObserverRole").orElseThrow();

            // THEN the reconciler's role (pinned by ARN) and, when configured, the observer principals may assume it
            assertEquals(
                    Set.of("RoleName", "Description", "MaxSessionDuration", "AssumeRolePolicyDocument", "Policies"),
                    role.keySet());
            assertEquals("stackfleet-workload-observer", role.get("RoleName"));
            List<Iam.Statement> trust =
                    new ArrayList<>(List.of(assumeOnly(reconcilerRole).sid("TrustTheReconciler")));
            if (!observers.isEmpty()) {
                trust.add(allow("sts:AssumeRole").sid("TrustTheObservers").principal("AWS", observers));
            }
            assertEquals(comparable(document(trust)), comparable(role.get("AssumeRolePolicyDocument")), account);
            // AND it may only read: list the account's stacks, and read events and resources of stackfleet-* stacks
            assertEquals(
                    comparable(List.of(Map.of(
                            "PolicyName",
                            "read-stackfleet-stacks",
                            "PolicyDocument",
                            document(
                                    // A DescribeStacks without a stack name (the reconciler's listing) is authorized on
                                    // "*" only.
                                    allow("cloudformation:DescribeStacks")
                                            .sid("ListAccountStacks")
                                            .on("*"),
                                    allow("cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources")
                                            .sid("ReadStackfleetStacks")
                                            .on(stacks(account)))))),
                    comparable(role.get("Policies")),
                    account);
        }
    }

    @Test
    void anAccessStackDeployedWithoutReconcilerAndObserversHasNoObserverRole() {
        // GIVEN an access stack deployed outside the CDK app with both trust parameters empty
        WorkloadAccessStack stack = SynthesizedApp.get().stacks.workloadAccess().getFirst();

        // WHEN it is deployed
        Optional<Map<String, Object>> role = workloadRole(
                stack,
                Map.of("ControlPlaneReconcilerRoleArn", "", "ObserverPrincipalArns", ""),
                "WorkloadObserverRole");

        // THEN there is no observer role at all
        assertEquals(Optional.empty(), role);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theCloudFormationServiceRoleIsTrustedByCloudFormationAndMakesOnlyGameServerResources(
            Installation installation) {
        for (WorkloadAccessStack stack : installation.stacks().workloadAccess()) {
            // WHEN the account's access stack is deployed
            String account = stack.getAccount();
            Map<String, Object> role =
                    workloadRole(stack, Map.of(), "CloudFormationExecutionRole").orElseThrow();

            // THEN CloudFormation alone may assume it (only principals of this account can pass it)
            assertEquals(Set.of("RoleName", "Description", "AssumeRolePolicyDocument", "Policies"), role.keySet());
            assertEquals("stackfleet-cloudformation-execution", role.get("RoleName"));
            assertEquals(
                    comparable(document(allow("sts:AssumeRole").principal("Service", "cloudformation.amazonaws.com"))),
                    comparable(role.get("AssumeRolePolicyDocument")),
                    account);
            // AND it may make exactly the resources of game-server.yaml
            assertEquals(
                    comparable(List.of(Map.of(
                            "PolicyName", "game-server-resources", "PolicyDocument", serviceRolePermissions(account)))),
                    comparable(role.get("Policies")),
                    account);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theTaskExecutionRoleOnlyPullsStackfleetImagesAndWritesGameServerLogs(Installation installation) {
        for (WorkloadAccessStack stack : installation.stacks().workloadAccess()) {
            String account = stack.getAccount();
            Map<String, Object> role =
                    workloadRole(stack, Map.of(), "TaskExecutionRole").orElseThrow();

            assertEquals(Set.of("RoleName", "Description", "AssumeRolePolicyDocument", "Policies"), role.keySet());
            assertEquals(
                    comparable(document(allow("sts:AssumeRole")
                            .principal("Service", "ecs-tasks.amazonaws.com")
                            .when("StringEquals", "aws:SourceAccount", account))),
                    comparable(role.get("AssumeRolePolicyDocument")),
                    account);
            assertEquals(
                    comparable(List.of(Map.of(
                            "PolicyName",
                            "pull-image-and-write-logs",
                            "PolicyDocument",
                            document(
                                    allow("logs:CreateLogStream", "logs:PutLogEvents")
                                            .sid("WriteGameServerLogs")
                                            .on(logs(account, "/stackfleet/game-servers/stackfleet-*:log-stream:*")),
                                    allow(
                                                    "ecr:BatchGetImage",
                                                    "ecr:GetDownloadUrlForLayer",
                                                    "ecr:BatchCheckLayerAvailability")
                                            .sid("PullStackfleetImages")
                                            .on("arn:aws:ecr:*:" + account + ":repository/stackfleet/*"),
                                    allow("ecr:GetAuthorizationToken")
                                            .sid("AuthenticateToEcr")
                                            .on("*"))))),
                    comparable(role.get("Policies")),
                    account);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theAccessStackHoldsTheseFourRolesAndTheStackEventForwardingAndNoOtherIdentityOrPolicy(
            Installation installation) {
        String bus = StackEvents.busArn(
                installation.config().controlPlaneAccount(),
                installation.config().region());
        for (WorkloadAccessStack stack : installation.stacks().workloadAccess()) {
            Template template = Template.fromStack(stack);
            Map<?, ?> resources = (Map<?, ?>) template.toJSON().get("Resources");
            Set<String> types = new TreeSet<>();
            resources
                    .values()
                    .forEach(resource ->
                            types.add(((Map<?, ?>) resource).get("Type").toString()));
            types.remove("AWS::CDK::Metadata");
            assertEquals(
                    Set.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Events::Rule"), types, stack.getStackName());
            Set<String> roles =
                    new TreeSet<>(template.findResources("AWS::IAM::Role").keySet());
            Set<String> templateRoles = Set.of(
                    "WorkloadAccessRole", "WorkloadObserverRole", "CloudFormationExecutionRole", "TaskExecutionRole");
            assertTrue(roles.containsAll(templateRoles), roles.toString());
            roles.removeAll(templateRoles);
            assertEquals(1, roles.size(), "besides the template's roles only the forwarding rule's: " + roles);
            String forwarding = roles.iterator().next();

            // THEN the forwarding role is EventBridge's, and may only put events on the control plane's bus
            Map<String, Object> role = CfnValues.of(template.toJSON(), stack.getAccount(), stack.getRegion(), Map.of())
                    .properties(forwarding)
                    .orElseThrow();
            assertEquals(
                    comparable(document(allow("sts:AssumeRole").principal("Service", "events.amazonaws.com"))),
                    comparable(role.get("AssumeRolePolicyDocument")));
            Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
            assertEquals(1, policies.size());
            Map<String, Object> policy = CfnValues.of(
                            template.toJSON(), stack.getAccount(), stack.getRegion(), Map.of())
                    .properties(policies.keySet().iterator().next())
                    .orElseThrow();
            assertEquals(
                    comparable(document(allow("events:PutEvents").on(bus))),
                    comparable(policy.get("PolicyDocument")),
                    stack.getStackName());
        }
    }

    // ---------------------------------------------------------------- the control plane

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theTemplateBucketLetsOnlyEachWorkloadAccountsAccessRoleReadTemplatesAndOnlyOverTls(Installation installation) {
        // GIVEN the control plane and its template bucket
        ControlPlaneStack controlPlane = installation.stacks().controlPlane();
        Template template = Template.fromStack(controlPlane);
        String bucket = logicalId(controlPlane.templateBucket());
        String bucketArn = "${" + bucket + ".Arn}";

        // THEN the bucket has one policy
        Map<String, Map<String, Object>> policies = template.findResources("AWS::S3::BucketPolicy");
        assertEquals(1, policies.size(), "bucket policies: " + policies.keySet());
        Map<String, Object> policy = installation
                .controlPlane()
                .properties(policies.keySet().iterator().next())
                .orElseThrow();
        assertEquals("${" + bucket + "}", policy.get("Bucket"));
        // AND it denies every request without TLS, and lets each listed account's access role, and nobody else,
        // read the templates/ keys
        List<Iam.Statement> statements = new ArrayList<>(List.of(deny("s3:*")
                .principal("AWS", "*")
                .on(bucketArn, bucketArn + "/*")
                .when("Bool", "aws:SecureTransport", "false")));
        for (String account : installation.config().workloadAccounts()) {
            statements.add(allow("s3:GetObject")
                    .sid("WorkloadAccessReadsTemplates" + account)
                    .principal("AWS", "arn:aws:iam::" + account + ":root")
                    .on(bucketArn + "/templates/*")
                    .when(
                            "ArnEquals",
                            "aws:PrincipalArn",
                            "arn:aws:iam::" + account + ":role/stackfleet-workload-access"));
        }
        assertEquals(comparable(document(statements)), comparable(policy.get("PolicyDocument")));

        // AND in the control plane's account no role of the stack may touch the bucket's objects: operators publish
        // releases with their own credentials (ops release publish), and nothing overwrites one
        List<Object> s3Statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").keySet().forEach(id -> {
            Map<?, ?> document = (Map<?, ?>)
                    installation.controlPlane().properties(id).orElseThrow().get("PolicyDocument");
            ((List<?>) document.get("Statement"))
                    .stream()
                            .filter(statement -> comparable(((Map<?, ?>) statement).get("Action"))
                                    .contains("\"s3:"))
                            .forEach(s3Statements::add);
        });
        assertEquals(List.of(), s3Statements);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theWorkflowRoleAssumesOnlyTheListedAccountsAccessRolesAndWritesOnlyTheTable(Installation installation) {
        // GIVEN the workflow role of the control plane
        ControlPlaneStack controlPlane = installation.stacks().controlPlane();
        String role = logicalId(controlPlane.workflowRole());
        Map<String, Object> properties =
                installation.controlPlane().properties(role).orElseThrow();

        // THEN Step Functions alone may assume it, and it has no managed or inline policy
        assertEquals(Set.of("RoleName", "Description", "AssumeRolePolicyDocument"), properties.keySet());
        assertEquals(
                comparable(document(allow("sts:AssumeRole").principal("Service", "states.amazonaws.com"))),
                comparable(properties.get("AssumeRolePolicyDocument")));
        // AND its one policy lets it assume stackfleet-workload-access of the listed accounts and no other role,
        // read, update and delete items of the table (no index, no scan, no put), and deliver logs and traces
        assertEquals(
                List.of(comparable(document(
                        allow("sts:AssumeRole")
                                .sid("AssumeWorkloadAccessRoles")
                                .on(installation.config().workloadAccounts().stream()
                                        .map(account -> "arn:aws:iam::" + account + ":role/stackfleet-workload-access")
                                        .toList()),
                        allow("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem")
                                .sid("WriteGameServerStatus")
                                .on(arnOf(controlPlane.table().table())),
                        // the deprovision frees the removed server's quota slot
                        allow("dynamodb:UpdateItem")
                                .sid("QuotaSlots")
                                .on(arnOf(controlPlane.quotaTable().table())),
                        // ... and, once the stack is gone, its slot in its workload account
                        allow("dynamodb:UpdateItem")
                                .sid("AccountSlots")
                                .on(arnOf(controlPlane.accountPool().table())),
                        // each wait for a stack's status change event stores its task token (and nothing else)
                        allow("dynamodb:PutItem")
                                .sid("StoreStackWaits")
                                .on(arnOf(controlPlane.stackWaits().table())),
                        stepFunctionsLogDeliveryAndTracing()))),
                policiesOf(installation, role));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theRolloutWorkflowOnlyUpgradesServersKeepsItsRolloutAndReadsAlarms(Installation installation) {
        // GIVEN the rollout workflow's role
        ControlPlaneStack controlPlane = installation.stacks().controlPlane();
        String role = logicalId(controlPlane.rollout().role());
        Map<String, Object> properties =
                installation.controlPlane().properties(role).orElseThrow();

        // THEN Step Functions alone may assume it
        assertEquals(Set.of("Description", "AssumeRolePolicyDocument"), properties.keySet());
        assertEquals(
                comparable(document(allow("sts:AssumeRole").principal("Service", "states.amazonaws.com"))),
                comparable(properties.get("AssumeRolePolicyDocument")));
        // AND it may read and update servers' items (no delete, no put, no index), keep its rollout in the releases
        // table, read alarm states, and deliver logs and traces: no role to assume, no stack to touch
        assertEquals(
                List.of(comparable(document(
                        allow("dynamodb:GetItem", "dynamodb:UpdateItem")
                                .sid("UpgradeGameServers")
                                .on(arnOf(controlPlane.table().table())),
                        allow("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem")
                                .sid("RolloutBookkeeping")
                                .on(arnOf(controlPlane.releases().table())),
                        allow("cloudwatch:DescribeAlarms")
                                .sid("ReadAlarmStates")
                                .on("*"),
                        stepFunctionsLogDeliveryAndTracing()))),
                policiesOf(installation, role));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theStackEventCallbackOnlyReadsTheWaitsAndCompletesTasksOfTheTwoWorkflows(Installation installation) {
        // GIVEN the stack-event callback's role
        ControlPlaneStack controlPlane = installation.stacks().controlPlane();
        String role = logicalId(controlPlane.stackEvents().callbackRole());
        Map<String, Object> properties =
                installation.controlPlane().properties(role).orElseThrow();

        // THEN Step Functions alone may assume it
        assertEquals(Set.of("Description", "AssumeRolePolicyDocument"), properties.keySet());
        assertEquals(
                comparable(document(allow("sts:AssumeRole").principal("Service", "states.amazonaws.com"))),
                comparable(properties.get("AssumeRolePolicyDocument")));
        // AND it may read the stack-waits table and send a task's success or failure to the two workflows only
        assertEquals(
                List.of(comparable(document(
                        allow("dynamodb:DeleteItem", "dynamodb:GetItem")
                                .sid("ReadAndForgetStackWaits")
                                .on(arnOf(controlPlane.stackWaits().table())),
                        allow("states:SendTaskFailure", "states:SendTaskSuccess")
                                .sid("CompleteWorkflowTasks")
                                .on(List.of(
                                        refOf(controlPlane.workflows().deprovision()),
                                        refOf(controlPlane.workflows().provision()))),
                        stepFunctionsLogDeliveryAndTracing()))),
                policiesOf(installation, role));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void theLifecyclePipeOnlyReadsTheTableStreamAndPutsEventsOnTheLifecycleBus(Installation installation) {
        // GIVEN the lifecycle-event pipe's role
        ControlPlaneStack controlPlane = installation.stacks().controlPlane();
        String role = logicalId(controlPlane.lifecycleEvents().pipeRole());
        Map<String, Object> properties =
                installation.controlPlane().properties(role).orElseThrow();

        // THEN only EventBridge Pipes, acting for the control plane's own account, may assume it
        assertEquals(Set.of("Description", "AssumeRolePolicyDocument"), properties.keySet());
        assertEquals(
                comparable(document(allow("sts:AssumeRole")
                        .principal("Service", "pipes.amazonaws.com")
                        .when(
                                "StringEquals",
                                "aws:SourceAccount",
                                installation.config().controlPlaneAccount()))),
                comparable(properties.get("AssumeRolePolicyDocument")));
        // AND it may read that one stream and put events on that one bus, nothing else
        assertEquals(
                List.of(comparable(document(
                        allow(
                                        "dynamodb:DescribeStream",
                                        "dynamodb:GetRecords",
                                        "dynamodb:GetShardIterator",
                                        "dynamodb:ListStreams")
                                .sid("ReadTheTableStream")
                                .on("${" + logicalId(controlPlane.table().table()) + ".StreamArn}"),
                        allow("events:PutEvents")
                                .sid("PublishLifecycleEvents")
                                .on(arnOf(controlPlane.lifecycleEvents().bus()))))),
                policiesOf(installation, role));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void onlyTheListedWorkloadAccountsMayPutEventsOnTheStackEventBus(Installation installation) {
        // GIVEN the control plane's stack-event bus
        ControlPlaneStack controlPlane = installation.stacks().controlPlane();
        Template template = Template.fromStack(controlPlane);
        Map<String, Map<String, Object>> policies = template.findResources("AWS::Events::EventBusPolicy");

        // THEN its one policy lets exactly the listed accounts put events on it, and nothing else
        assertEquals(1, policies.size());
        String id = policies.keySet().iterator().next();
        Map<String, Object> properties =
                installation.controlPlane().properties(id).orElseThrow();
        String bus = arnOf(controlPlane.stackEvents().bus());
        assertEquals(
                comparable(allow("events:PutEvents")
                        .sid("cdk-WorkloadAccountsForwardStackEvents")
                        .principal(
                                "AWS",
                                installation.config().workloadAccounts().stream()
                                        .map(account -> "arn:aws:iam::" + account + ":root")
                                        .toList())
                        .on(bus)
                        .toMap()),
                comparable(properties.get("Statement")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void eachApiFunctionMayMakeExactlyTheTableCallsOfItsRoute(Installation installation) {
        // GIVEN the API functions and the calls their routes make (GameServerService on DynamoDbGameServerStore):
        // create puts the new server (with its quota slot, in one transaction) and reads it back after a lost
        // answer; list queries; get reads one item; update and delete read the item and update it (delete only
        // marks it, the workflow removes it)
        ControlPlaneStack controlPlane = installation.stacks().controlPlane();
        Map<String, List<String>> calls = Map.of(
                "Create", List.of("dynamodb:GetItem", "dynamodb:PutItem"),
                "List", List.of("dynamodb:Query"),
                "Get", List.of("dynamodb:GetItem"),
                "Update", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                "Delete", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"));
        assertEquals(calls.keySet(), controlPlane.api().functions().keySet());

        calls.forEach((route, actions) -> {
            JavaFunction function = controlPlane.api().functions().get(route);
            String role = logicalId(function.role());
            Map<String, Object> properties =
                    installation.controlPlane().properties(role).orElseThrow();
            // THEN Lambda alone may assume its role, which has no managed or inline policy
            assertEquals(Set.of("Description", "AssumeRolePolicyDocument"), properties.keySet(), route);
            assertEquals(
                    comparable(document(allow("sts:AssumeRole").principal("Service", "lambda.amazonaws.com"))),
                    comparable(properties.get("AssumeRolePolicyDocument")),
                    route);
            // AND its one policy lets it write its own logs and traces, make exactly its route's calls on the
            // table's items (not on an index), and for create and delete take or free the owner's quota slot
            List<Iam.Statement> statements = new ArrayList<>(List.of(
                    allow("logs:CreateLogStream", "logs:PutLogEvents").on(arnOf(function.logGroup())),
                    allow("xray:PutTelemetryRecords", "xray:PutTraceSegments").on("*"),
                    allow(actions)
                            .sid("GameServersTable")
                            .on(arnOf(controlPlane.table().table()))));
            String quotas = arnOf(controlPlane.quotaTable().table());
            if (route.equals("Create")) {
                statements.add(allow("dynamodb:GetItem").sid("QuotaSlotReads").on(quotas));
            }
            if (route.equals("Create") || route.equals("Delete")) {
                statements.add(allow("dynamodb:UpdateItem").sid("QuotaSlots").on(quotas));
            }
            // a create reads the account pool and takes a slot of the account it places the server in
            if (route.equals("Create")) {
                String pool = arnOf(controlPlane.accountPool().table());
                statements.add(allow("dynamodb:Scan").sid("AccountPoolReads").on(pool));
                statements.add(allow("dynamodb:UpdateItem").sid("AccountSlots").on(pool));
            }
            // a create gives the server the current release, as an update does a server from before releases: the
            // one pointer item of the releases table
            if (route.equals("Create") || route.equals("Update")) {
                statements.add(allow("dynamodb:GetItem")
                        .sid("CurrentReleaseRead")
                        .on(arnOf(controlPlane.releases().table()))
                        .when("ForAllValues:StringEquals", "dynamodb:LeadingKeys", List.of("current")));
            }
            assertEquals(List.of(comparable(document(statements))), policiesOf(installation, role), route);
        });
    }

    // ---------------------------------------------------------------- named pieces

    /** Trust of a role that exactly one role of the control plane may assume: by principal and by ARN. */
    private static Iam.Statement assumeOnly(String roleArn) {
        return allow("sts:AssumeRole").principal("AWS", roleArn).when("ArnEquals", "aws:PrincipalArn", roleArn);
    }

    /** What {@code stackfleet-workload-access} may do in {@code account}. */
    private static Map<String, Object> accessRolePermissions(String account, Optional<String> templateBucket) {
        String serviceRole = "arn:aws:iam::" + account + ":role/stackfleet-cloudformation-execution";
        List<Iam.Statement> statements = new ArrayList<>(List.of(
                allow("cloudformation:CreateStack", "cloudformation:UpdateStack")
                        .sid("CreateAndUpdateWithServiceRole")
                        .on(stacks(account))
                        .when("StringEquals", "cloudformation:RoleArn", serviceRole),
                // The workflows' other calls: DeleteStack and DescribeStacks; the stack tags of CreateStack and
                // UpdateStack are authorized as TagResource and UntagResource too.
                allow(
                                "cloudformation:DeleteStack",
                                "cloudformation:DescribeStacks",
                                "cloudformation:TagResource",
                                "cloudformation:UntagResource")
                        .sid("DeleteDescribeAndTagStacks")
                        .on(stacks(account)),
                allow("iam:PassRole")
                        .sid("PassOnlyTheServiceRoleToCloudFormation")
                        .on(serviceRole)
                        .when("StringEquals", "iam:PassedToService", "cloudformation.amazonaws.com"),
                allow("ssm:GetParameters").sid("ResolveNetworkingParameters").on(networkParameters(account))));
        templateBucket.ifPresent(bucket -> statements.add(
                allow("s3:GetObject").sid("ReadGameServerTemplate").on("arn:aws:s3:::" + bucket + "/templates/*")));
        return document(statements);
    }

    /** What CloudFormation may do with {@code stackfleet-cloudformation-execution}: the resources of game-server.yaml. */
    private static Map<String, Object> serviceRolePermissions(String account) {
        String securityGroups = "arn:aws:ec2:*:" + account + ":security-group/*";
        String targetGroups = "arn:aws:elasticloadbalancing:*:" + account + ":targetgroup/*/*";
        return document(
                allow(
                                "logs:CreateLogGroup",
                                "logs:DeleteLogGroup",
                                "logs:PutRetentionPolicy",
                                "logs:DeleteRetentionPolicy",
                                "logs:TagResource",
                                "logs:UntagResource",
                                "logs:ListTagsForResource",
                                "logs:TagLogGroup",
                                "logs:UntagLogGroup",
                                "logs:ListTagsLogGroup")
                        .sid("GameServerLogGroups")
                        .on(logs(account, "/stackfleet/game-servers/stackfleet-*")),
                allow("logs:DescribeLogGroups").sid("ReadLogGroups").on(logs(account, "*")),
                allow(
                                "ecs:CreateCluster",
                                "ecs:DeleteCluster",
                                "ecs:DescribeClusters",
                                "ecs:UpdateCluster",
                                "ecs:UpdateClusterSettings",
                                "ecs:CreateService",
                                "ecs:UpdateService",
                                "ecs:DeleteService",
                                "ecs:DescribeServices",
                                "ecs:TagResource",
                                "ecs:UntagResource",
                                "ecs:ListTagsForResource")
                        .sid("GameServerClustersAndServices")
                        .on(
                                "arn:aws:ecs:*:" + account + ":cluster/stackfleet-*",
                                "arn:aws:ecs:*:" + account + ":service/stackfleet-*/stackfleet-*",
                                "arn:aws:ecs:*:" + account + ":task-definition/stackfleet-*:*"),
                allow("ecs:RegisterTaskDefinition")
                        .sid("RegisterTaggedTaskDefinitions")
                        .on("*")
                        .when("Null", "aws:RequestTag/stackfleet:gameserver-id", "false"),
                allow("ecs:DescribeTaskDefinition", "ecs:DeregisterTaskDefinition")
                        .sid("ReadAndRetireTaskDefinitions")
                        .on("*"),
                allow("iam:PassRole")
                        .sid("PassTaskExecutionRoleToEcsTasks")
                        .on("arn:aws:iam::" + account + ":role/stackfleet-task-execution")
                        .when("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com"),
                allow("iam:CreateServiceLinkedRole")
                        .sid("CreateEcsServiceLinkedRole")
                        .on("arn:aws:iam::" + account + ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS")
                        .when("StringEquals", "iam:AWSServiceName", "ecs.amazonaws.com"),
                allow("ec2:CreateSecurityGroup")
                        .sid("CreateSecurityGroups")
                        .on("arn:aws:ec2:*:" + account + ":vpc/*", securityGroups),
                allow("ec2:CreateTags")
                        .sid("TagSecurityGroupsOnCreate")
                        .on(securityGroups)
                        .when("StringEquals", "ec2:CreateAction", "CreateSecurityGroup"),
                allow(
                                "ec2:DeleteSecurityGroup",
                                "ec2:AuthorizeSecurityGroupIngress",
                                "ec2:RevokeSecurityGroupIngress",
                                "ec2:AuthorizeSecurityGroupEgress",
                                "ec2:RevokeSecurityGroupEgress",
                                "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
                                "ec2:ModifySecurityGroupRules",
                                "ec2:CreateTags",
                                "ec2:DeleteTags")
                        .sid("ChangeOnlyStackfleetSecurityGroups")
                        .on(securityGroups)
                        .when("Null", "aws:ResourceTag/stackfleet:gameserver-id", "false"),
                allow(
                                "elasticloadbalancing:CreateLoadBalancer",
                                "elasticloadbalancing:DeleteLoadBalancer",
                                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                                "elasticloadbalancing:SetSubnets",
                                "elasticloadbalancing:SetSecurityGroups",
                                "elasticloadbalancing:CreateListener",
                                "elasticloadbalancing:ModifyListener",
                                "elasticloadbalancing:DeleteListener",
                                "elasticloadbalancing:AddTags",
                                "elasticloadbalancing:RemoveTags")
                        .sid("GameServerLoadBalancersAndListeners")
                        .on(
                                "arn:aws:elasticloadbalancing:*:" + account + ":loadbalancer/net/stackfleet-*/*",
                                "arn:aws:elasticloadbalancing:*:" + account + ":listener/net/stackfleet-*/*/*"),
                allow("elasticloadbalancing:CreateTargetGroup")
                        .sid("CreateTaggedTargetGroups")
                        .on(targetGroups)
                        .when("Null", "aws:RequestTag/stackfleet:gameserver-id", "false"),
                allow("elasticloadbalancing:AddTags")
                        .sid("TagTargetGroupsOnCreate")
                        .on(targetGroups)
                        .when("StringEquals", "elasticloadbalancing:CreateAction", "CreateTargetGroup"),
                allow(
                                "elasticloadbalancing:ModifyTargetGroup",
                                "elasticloadbalancing:ModifyTargetGroupAttributes",
                                "elasticloadbalancing:DeleteTargetGroup",
                                "elasticloadbalancing:AddTags",
                                "elasticloadbalancing:RemoveTags")
                        .sid("ChangeOnlyStackfleetTargetGroups")
                        .on(targetGroups)
                        .when("Null", "aws:ResourceTag/stackfleet:gameserver-id", "false"),
                allow(
                                "elasticloadbalancing:DescribeLoadBalancers",
                                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                                "elasticloadbalancing:DescribeListeners",
                                "elasticloadbalancing:DescribeListenerAttributes",
                                "elasticloadbalancing:DescribeTargetGroups",
                                "elasticloadbalancing:DescribeTargetGroupAttributes",
                                "elasticloadbalancing:DescribeTargetHealth",
                                "elasticloadbalancing:DescribeTags")
                        .sid("ReadLoadBalancing")
                        .on("*"),
                allow("iam:CreateServiceLinkedRole")
                        .sid("CreateElasticLoadBalancingServiceLinkedRole")
                        .on("arn:aws:iam::" + account
                                + ":role/aws-service-role/elasticloadbalancing.amazonaws.com/"
                                + "AWSServiceRoleForElasticLoadBalancing")
                        .when("StringEquals", "iam:AWSServiceName", "elasticloadbalancing.amazonaws.com"),
                allow(
                                "ec2:DescribeSecurityGroups",
                                "ec2:DescribeSecurityGroupRules",
                                "ec2:DescribeVpcs",
                                "ec2:DescribeSubnets",
                                "ec2:DescribeNetworkInterfaces",
                                "ec2:DescribeInternetGateways",
                                "ec2:DescribeAccountAttributes")
                        .sid("ReadNetworking")
                        .on("*"),
                allow("ssm:GetParameters", "ssm:GetParameter")
                        .sid("ResolveNetworkingParameters")
                        .on(networkParameters(account)));
    }

    /** What CDK grants a state machine's role for log delivery and X-Ray, which have no resource-level permissions. */
    private static Iam.Statement stepFunctionsLogDeliveryAndTracing() {
        return allow(
                        "logs:CreateLogDelivery",
                        "logs:DeleteLogDelivery",
                        "logs:DescribeLogGroups",
                        "logs:DescribeResourcePolicies",
                        "logs:GetLogDelivery",
                        "logs:ListLogDeliveries",
                        "logs:PutResourcePolicy",
                        "logs:UpdateLogDelivery",
                        "xray:GetSamplingRules",
                        "xray:GetSamplingTargets",
                        "xray:PutTelemetryRecords",
                        "xray:PutTraceSegments")
                .on("*");
    }

    private static String stacks(String account) {
        return "arn:aws:cloudformation:*:" + account + ":" + STACKFLEET_STACKS;
    }

    private static String networkParameters(String account) {
        return "arn:aws:ssm:*:" + account + ":parameter/stackfleet/network/*";
    }

    private static String logs(String account, String logGroup) {
        return "arn:aws:logs:*:" + account + ":log-group:" + logGroup;
    }

    /** A control plane resource's Ref (a state machine's ARN) as {@link CfnValues} writes it before a deploy. */
    private static String refOf(IConstruct construct) {
        return "${" + logicalId(construct) + "}";
    }

    /** A control plane resource's ARN as {@link CfnValues} writes it before a deploy. */
    private static String arnOf(IConstruct construct) {
        return "${" + logicalId(construct) + ".Arn}";
    }

    /** A role's deployed properties in its workload access stack, with {@code parameters} as an operator passes them. */
    private static Optional<Map<String, Object>> workloadRole(
            WorkloadAccessStack stack, Map<String, String> parameters, String logicalId) {
        return CfnValues.of(Template.fromStack(stack).toJSON(), stack.getAccount(), stack.getRegion(), parameters)
                .properties(logicalId);
    }

    /** Every policy document attached to a control plane role, as {@link Iam#comparable} text. */
    private static List<String> policiesOf(Installation installation, String roleLogicalId) {
        Template template = Template.fromStack(installation.stacks().controlPlane());
        List<String> documents = new ArrayList<>();
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            template.findResources(type).forEach((id, resource) -> {
                Map<?, ?> properties = (Map<?, ?>) resource.get("Properties");
                if (properties.get("Roles") instanceof List<?> roles && roles.contains(Map.of("Ref", roleLogicalId))) {
                    documents.add(comparable(installation
                            .controlPlane()
                            .properties(id)
                            .orElseThrow()
                            .get("PolicyDocument")));
                }
            });
        }
        return documents;
    }
}
