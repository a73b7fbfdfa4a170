package dev.stackfleet.cdk;

import static dev.stackfleet.cdk.SynthesizedApp.asList;
import static dev.stackfleet.cdk.SynthesizedApp.logicalId;
import static dev.stackfleet.cdk.SynthesizedApp.statementsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.EventSourceSettings;
import dev.stackfleet.core.LifecyclePipe;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** The control plane stack as CloudFormation sees it: one synthesis, many assertions. */
class ControlPlaneStackTest {

    private static SynthesizedApp synthesized;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        synthesized = SynthesizedApp.get();
        template = synthesized.controlPlaneTemplate();
    }

    @Test
    void tableHasTheContractKeysStreamIndexAndProtection() {
        template.resourceCountIs("AWS::DynamoDB::Table", 5);
        template.hasResource(
                "AWS::DynamoDB::Table",
                Map.of(
                        "DeletionPolicy", "Retain",
                        "UpdateReplacePolicy", "Retain",
                        "Properties",
                                Map.of(
                                        "KeySchema",
                                                List.of(
                                                        Map.of("AttributeName", "owner", "KeyType", "HASH"),
                                                        Map.of("AttributeName", "gameserver_id", "KeyType", "RANGE")),
                                        "StreamSpecification", Map.of("StreamViewType", "NEW_AND_OLD_IMAGES"),
                                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                                        "SSESpecification", Map.of("SSEEnabled", true),
                                        "DeletionProtectionEnabled", true,
                                        "GlobalSecondaryIndexes",
                                                List.of(Map.of(
                                                        "IndexName", "by-status",
                                                        "KeySchema",
                                                                List.of(
                                                                        Map.of(
                                                                                "AttributeName",
                                                                                "status",
                                                                                "KeyType",
                                                                                "HASH"),
                                                                        Map.of(
                                                                                "AttributeName",
                                                                                "updated_at",
                                                                                "KeyType",
                                                                                "RANGE")),
                                                        "Projection", Map.of("ProjectionType", "ALL"))))));
        // No physical name: the table's name reaches the Lambdas and workflows through TABLE_NAME/TableName.
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", Match.absent()));
    }

    @Test
    void quotaTableIsKeyedByOwnerWithoutAStreamAndProtectedLikeTheTable() {
        Map<String, Object> quota = template.findResources("AWS::DynamoDB::Table")
                .get(logicalId(synthesized.controlPlane().quotaTable().table()));
        assertEquals("Retain", quota.get("DeletionPolicy"));
        assertEquals("Retain", quota.get("UpdateReplacePolicy"));
        Map<String, Object> properties = properties(quota);
        assertEquals(List.of(Map.of("AttributeName", "owner", "KeyType", "HASH")), properties.get("KeySchema"));
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), properties.get("PointInTimeRecoverySpecification"));
        assertEquals(Map.of("SSEEnabled", true), properties.get("SSESpecification"));
        assertEquals(true, properties.get("DeletionProtectionEnabled"));
        assertFalse(properties.containsKey("StreamSpecification"), "nothing reacts to quota changes");
        assertFalse(properties.containsKey("TableName"), "no physical name: QUOTA_TABLE_NAME/QuotaTableName carry it");
    }

    @Test
    void apiHasTheFiveRoutesBehindTheJwtAuthorizer() {
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        template.hasResourceProperties(
                "AWS::ApiGatewayV2::Authorizer",
                Map.of("AuthorizerType", "JWT", "IdentitySource", List.of("$request.header.Authorization")));
        Set<String> routes = template.findResources("AWS::ApiGatewayV2::Route").values().stream()
                .map(route -> properties(route).get("RouteKey").toString())
                .collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        "POST /gameservers",
                        "GET /gameservers",
                        "GET /gameservers/{id}",
                        "PATCH /gameservers/{id}",
                        "DELETE /gameservers/{id}"),
                routes);
        template.findResources("AWS::ApiGatewayV2::Route")
                .values()
                .forEach(route ->
                        assertEquals("JWT", properties(route).get("AuthorizationType"), "every route is authorized"));
    }

    @Test
    void stageThrottlesAndLogsAccess() {
        template.hasResourceProperties(
                "AWS::ApiGatewayV2::Stage",
                Map.of(
                        "StageName",
                        "$default",
                        "AutoDeploy",
                        true,
                        "DefaultRouteSettings",
                        Map.of("ThrottlingRateLimit", 40, "ThrottlingBurstLimit", 80),
                        "AccessLogSettings",
                        Match.objectLike(Map.of("DestinationArn", Match.anyValue()))));
        Map<?, ?> stage = properties(single("AWS::ApiGatewayV2::Stage"));
        String format =
                ((Map<?, ?>) stage.get("AccessLogSettings")).get("Format").toString();
        assertTrue(Json.tree(format).has("routeKey"), format);
        assertFalse(format.contains("$context.resourcePath"), "HTTP APIs reject REST-only variables: " + format);
    }

    @Test
    void cognitoUserPoolIsCreatedWhenNoIssuerIsConfigured() {
        template.resourceCountIs("AWS::Cognito::UserPool", 1);
        template.resourceCountIs("AWS::Cognito::UserPoolClient", 1);
        template.hasOutput("UserPoolId", Match.anyValue());
        template.hasOutput("UserPoolClientId", Match.anyValue());
    }

    @Test
    void apiFunctionsRunTheApiJarWithSnapStartJsonLogsAndTracing() {
        Set<String> handlers = new HashSet<>();
        synthesized.controlPlane().api().functions().values().forEach(function -> {
            Map<String, Object> properties =
                    properties(template.findResources("AWS::Lambda::Function").get(logicalId(function.function())));
            handlers.add(properties.get("Handler").toString());
            assertEquals("java21", properties.get("Runtime"));
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), properties.get("SnapStart"));
            assertEquals(Map.of("Mode", "Active"), properties.get("TracingConfig"));
            assertEquals("JSON", ((Map<?, ?>) properties.get("LoggingConfig")).get("LogFormat"));
            Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) properties.get("Environment")).get("Variables");
            assertEquals(
                    Map.of("Ref", logicalId(synthesized.controlPlane().table().table())), variables.get("TABLE_NAME"));
            assertEquals(
                    Map.of(
                            "Ref",
                            logicalId(synthesized.controlPlane().quotaTable().table())),
                    variables.get("QUOTA_TABLE_NAME"));
            assertEquals("7", variables.get("MAX_SERVERS_PER_OWNER"));
            assertEquals("sub", variables.get("OWNER_CLAIM"), "the user pool's subject owns servers, not the username");
            assertTrue(variables.containsKey("ACCOUNT_POOL_TABLE_NAME"), variables.toString());
            assertFalse(variables.containsKey("PLACEMENT_ACCOUNT_ID"), "placement is the pool's, not one account");
            assertEquals("stackfleet-workload-access", variables.get("PLACEMENT_ROLE_NAME"));
            assertFalse(properties.containsKey("FunctionName"), "no physical function names");
        });
        assertEquals(
                Set.of(
                        "dev.stackfleet.api.CreateGameServerHandler::handleRequest",
                        "dev.stackfleet.api.ListGameServersHandler::handleRequest",
                        "dev.stackfleet.api.GetGameServerHandler::handleRequest",
                        "dev.stackfleet.api.UpdateGameServerHandler::handleRequest",
                        "dev.stackfleet.api.DeleteGameServerHandler::handleRequest"),
                handlers);
        // The routes call the live alias, where SnapStart applies, never $LATEST (the stream and the reconciler
        // have one each as well).
        template.resourceCountIs("AWS::Lambda::Alias", 7);
        template.findResources("AWS::ApiGatewayV2::Integration").values().forEach(integration -> {
            Object uri = properties(integration).get("IntegrationUri");
            assertTrue(uri.toString().contains("Live"), "integration targets the alias: " + uri);
        });
    }

    @Test
    void eachRouteMakesOnlyItsOwnCallsOnTheTable() {
        Map<String, JavaFunction> functions = synthesized.controlPlane().api().functions();
        Object table = Map.of(
                "Fn::GetAtt",
                List.of(logicalId(synthesized.controlPlane().table().table()), "Arn"));
        Object quotas = Map.of(
                "Fn::GetAtt",
                List.of(logicalId(synthesized.controlPlane().quotaTable().table()), "Arn"));
        Object pool = Map.of(
                "Fn::GetAtt",
                List.of(logicalId(synthesized.controlPlane().accountPool().table()), "Arn"));
        Object releases = Map.of(
                "Fn::GetAtt",
                List.of(logicalId(synthesized.controlPlane().releases().table()), "Arn"));
        // per route: the actions on the table, and on the quota table (create reads and takes a slot, delete frees it);
        // create and update read the current release
        Map<String, Map<Object, Set<String>>> expected = Map.of(
                "List", Map.of(table, Set.of("dynamodb:Query")),
                "Get", Map.of(table, Set.of("dynamodb:GetItem")),
                "Create",
                        Map.of(
                                table,
                                Set.of("dynamodb:GetItem", "dynamodb:PutItem"),
                                quotas,
                                Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                                pool,
                                Set.of("dynamodb:Scan", "dynamodb:UpdateItem"),
                                releases,
                                Set.of("dynamodb:GetItem")),
                "Update",
                        Map.of(
                                table,
                                Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                                releases,
                                Set.of("dynamodb:GetItem")),
                "Delete",
                        Map.of(
                                table,
                                Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                                quotas,
                                Set.of("dynamodb:UpdateItem")));
        expected.forEach((name, actionsByResource) -> {
            List<Map<String, Object>> statements =
                    statementsOf(template, logicalId(functions.get(name).role()));
            Map<Object, Set<String>> actual = new HashMap<>();
            statements.stream()
                    .filter(s -> !actionsOf(List.of(s), "dynamodb:").isEmpty())
                    .forEach(s -> {
                        List<Object> resources = asList(s.get("Resource"));
                        assertEquals(1, resources.size(), name + " names one table per statement, never its indexes");
                        actual.computeIfAbsent(resources.get(0), r -> new HashSet<>())
                                .addAll(actionsOf(List.of(s), "dynamodb:"));
                    });
            assertEquals(actionsByResource, actual, name);
        });
    }

    @Test
    void streamMappingTakesItsSettingsFromTheSharedFile() {
        EventSourceSettings settings =
                EventSourceSettings.read(Path.of(ProjectFiles.locate().require(ProjectFiles.STREAM_EVENT_SOURCE)));
        Map<String, Object> mapping = properties(single("AWS::Lambda::EventSourceMapping"));
        // The stream's records go to the live alias, where SnapStart applies, never to $LATEST.
        String alias =
                logicalId(synthesized.controlPlane().streamTrigger().handler().target());
        Map<String, Object> aliasArn = Map.of("Ref", alias);
        assertEquals(
                Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                List.of(
                                        Map.of("Fn::Select", List.of(6, Map.of("Fn::Split", List.of(":", aliasArn)))),
                                        ":live"))),
                mapping.get("FunctionName"));
        assertEquals(settings.batchSize(), mapping.get("BatchSize"));
        assertEquals(settings.maxBatchingWindowSeconds(), mapping.get("MaximumBatchingWindowInSeconds"));
        // Until expiry (-1) is Lambda's default, which the mapping expresses by leaving the property out.
        assertEquals(
                settings.retriesUntilExpiry() ? null : settings.maxRetryAttempts(),
                mapping.get("MaximumRetryAttempts"));
        assertEquals(
                settings.maxRecordAgeSeconds() == EventSourceSettings.UNTIL_EXPIRY
                        ? null
                        : settings.maxRecordAgeSeconds(),
                mapping.get("MaximumRecordAgeInSeconds"));
        assertEquals(settings.bisectBatchOnError(), mapping.get("BisectBatchOnFunctionError"));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        String queue = logicalId(synthesized.controlPlane().streamTrigger().deadLetterQueue());
        assertEquals(
                Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(queue, "Arn")))),
                mapping.get("DestinationConfig"));
        List<?> filters = (List<?>) ((Map<?, ?>) mapping.get("FilterCriteria")).get("Filters");
        assertEquals(settings.filters().size(), filters.size());
        for (int i = 0; i < filters.size(); i++) {
            String pattern = ((Map<?, ?>) filters.get(i)).get("Pattern").toString();
            assertEquals(Json.tree(settings.filterMaps().get(i)), Json.tree(pattern), "filter " + i);
        }
    }

    @Test
    void deadLetterQueueIsEncryptedAndEnforcesTls() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
        template.hasResourceProperties(
                "AWS::SQS::QueuePolicy",
                Map.of(
                        "PolicyDocument",
                        Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect",
                                        "Deny",
                                        "Condition",
                                        Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void streamFunctionMayOnlyStartTheTwoWorkflowsAndSendToTheQueue() {
        StreamTrigger trigger = synthesized.controlPlane().streamTrigger();
        Workflows workflows = synthesized.controlPlane().workflows();
        Map<String, Object> function = properties(template.findResources("AWS::Lambda::Function")
                .get(logicalId(trigger.handler().function())));
        assertEquals("dev.stackfleet.stream.StreamHandler::handleRequest", function.get("Handler"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), function.get("SnapStart"));
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) function.get("Environment")).get("Variables");
        assertEquals(Map.of("Ref", logicalId(workflows.provision())), variables.get("PROVISION_STATE_MACHINE_ARN"));
        assertEquals(Map.of("Ref", logicalId(workflows.deprovision())), variables.get("DEPROVISION_STATE_MACHINE_ARN"));
        assertEquals(Map.of("Ref", logicalId(trigger.deadLetterQueue())), variables.get("DEAD_LETTER_QUEUE_URL"));
        assertEquals("5", variables.get("POLL_INITIAL_SECONDS"));
        assertEquals("60", variables.get("POLL_MAX_SECONDS"));
        assertEquals("8", variables.get("MAX_CONCURRENT_STARTS"));

        List<Map<String, Object>> statements =
                statementsOf(template, logicalId(trigger.handler().role()));
        Set<Object> startable = statements.stream()
                .filter(s -> asList(s.get("Action")).contains("states:StartExecution"))
                .flatMap(s -> asList(s.get("Resource")).stream())
                .collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        Map.of("Ref", logicalId(workflows.provision())),
                        Map.of("Ref", logicalId(workflows.deprovision()))),
                startable);
        assertEquals(Set.of("states:StartExecution"), actionsOf(statements, "states:"));
        statements.stream()
                .filter(s -> asList(s.get("Action")).contains("sqs:SendMessage"))
                .forEach(s -> assertEquals(
                        List.of(Map.of("Fn::GetAtt", List.of(logicalId(trigger.deadLetterQueue()), "Arn"))),
                        asList(s.get("Resource"))));
        Set<String> services = statements.stream()
                .flatMap(s -> asList(s.get("Action")).stream())
                .map(action -> action.toString().split(":", 2)[0])
                .collect(Collectors.toSet());
        assertEquals(Set.of("logs", "xray", "states", "sqs", "dynamodb"), services);
        assertTrue(
                actionsOf(statements, "dynamodb:").stream()
                        .allMatch(action -> Set.of(
                                        "dynamodb:DescribeStream",
                                        "dynamodb:GetRecords",
                                        "dynamodb:GetShardIterator",
                                        "dynamodb:ListStreams")
                                .contains(action)),
                "stream reads only");
    }

    @Test
    void workflowRoleAssumesOnlyTheWorkloadAccessRolesAndWritesOnlyTheTable() {
        Workflows workflows = synthesized.controlPlane().workflows();
        String table = logicalId(synthesized.controlPlane().table().table());
        List<Map<String, Object>> statements = statementsOf(template, logicalId(workflows.role()));
        Set<Object> assumable = statements.stream()
                .filter(s -> asList(s.get("Action")).contains("sts:AssumeRole"))
                .flatMap(s -> asList(s.get("Resource")).stream())
                .collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        "arn:aws:iam::222222222222:role/stackfleet-workload-access",
                        "arn:aws:iam::333333333333:role/stackfleet-workload-access"),
                assumable);
        String quotas = logicalId(synthesized.controlPlane().quotaTable().table());
        Map<Object, Set<String>> dynamoActions = new HashMap<>();
        statements.stream()
                .filter(s -> !actionsOf(List.of(s), "dynamodb:").isEmpty())
                .forEach(s -> asList(s.get("Resource"))
                        .forEach(resource -> dynamoActions
                                .computeIfAbsent(resource, r -> new HashSet<>())
                                .addAll(actionsOf(List.of(s), "dynamodb:"))));
        assertEquals(
                Map.of(
                        Map.of("Fn::GetAtt", List.of(table, "Arn")),
                        Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                        Map.of("Fn::GetAtt", List.of(quotas, "Arn")),
                        Set.of("dynamodb:UpdateItem"),
                        Map.of(
                                "Fn::GetAtt",
                                List.of(
                                        logicalId(synthesized
                                                .controlPlane()
                                                .accountPool()
                                                .table()),
                                        "Arn")),
                        Set.of("dynamodb:UpdateItem"),
                        Map.of(
                                "Fn::GetAtt",
                                List.of(
                                        logicalId(synthesized
                                                .controlPlane()
                                                .stackWaits()
                                                .table()),
                                        "Arn")),
                        Set.of("dynamodb:PutItem")),
                dynamoActions,
                "the table, only slot releases on the quota and account pool tables, only new waits in the stack-waits"
                        + " table");
        // Everything else is what CDK adds for log delivery and tracing, which has no resource-level permissions.
        Set<String> others = statements.stream()
                .filter(s -> actionsOf(List.of(s), "dynamodb:").isEmpty()
                        && actionsOf(List.of(s), "sts:").isEmpty())
                .peek(s -> assertEquals("*", s.get("Resource")))
                .flatMap(s -> asList(s.get("Action")).stream())
                .map(Object::toString)
                .collect(Collectors.toSet());
        assertTrue(
                others.stream().allMatch(action -> action.startsWith("logs:") || action.startsWith("xray:")),
                others.toString());
        // The role is trusted by Step Functions only.
        template.hasResourceProperties(
                "AWS::IAM::Role",
                Map.of(
                        "RoleName", Match.stringLikeRegexp("stackfleet-control-plane.*"),
                        "AssumeRolePolicyDocument",
                                Map.of(
                                        "Statement",
                                        List.of(Match.objectLike(
                                                Map.of("Principal", Map.of("Service", "states.amazonaws.com"))))),
                        "ManagedPolicyArns", Match.absent()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateMachinesAreStandardLoggedAndTraced() {
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 4);
        // The stack-event callback is the third: Express (see stackEventCallbackIsExpressLoggedAndTraced). The
        // provision and deprovision workflows share one role; the rollout has its own.
        Map<String, Object> json = new HashMap<>(template.toJSON());
        Map<String, Object> resources = new HashMap<>((Map<String, Object>) json.get("Resources"));
        resources.remove(logicalId(synthesized.controlPlane().stackEvents().callback()));
        json.put("Resources", resources);
        Template.fromJSON(json)
                .allResourcesProperties(
                        "AWS::StepFunctions::StateMachine",
                        Map.of(
                                "StateMachineType",
                                "STANDARD",
                                "TracingConfiguration",
                                Map.of("Enabled", true),
                                "LoggingConfiguration",
                                Match.objectLike(Map.of(
                                        "Level",
                                        "ALL",
                                        "Destinations",
                                        List.of(Map.of(
                                                "CloudWatchLogsLogGroup", Map.of("LogGroupArn", Match.anyValue())))))));
        for (var machine : List.of(
                synthesized.controlPlane().workflows().provision(),
                synthesized.controlPlane().workflows().deprovision())) {
            assertEquals(
                    Map.of(
                            "Fn::GetAtt",
                            List.of(
                                    logicalId(synthesized
                                            .controlPlane()
                                            .workflows()
                                            .role()),
                                    "Arn")),
                    roleOf(machine));
        }
        assertEquals(
                Map.of(
                        "Fn::GetAtt",
                        List.of(logicalId(synthesized.controlPlane().rollout().role()), "Arn")),
                roleOf(synthesized.controlPlane().rollout().stateMachine()));
    }

    @Test
    void stackEventCallbackIsExpressLoggedAndTraced() {
        StackEvents events = synthesized.controlPlane().stackEvents();
        Map<String, Object> callback =
                template.findResources("AWS::StepFunctions::StateMachine").get(logicalId(events.callback()));
        Map<?, ?> properties = (Map<?, ?>) callback.get("Properties");
        assertEquals("EXPRESS", properties.get("StateMachineType"));
        assertEquals(Map.of("Enabled", true), properties.get("TracingConfiguration"));
        Map<?, ?> logging = (Map<?, ?>) properties.get("LoggingConfiguration");
        assertEquals("ALL", logging.get("Level"));
        assertEquals(false, logging.get("IncludeExecutionData"), "a state's input would log the task token");
        assertEquals(Map.of("Fn::GetAtt", List.of(logicalId(events.callbackRole()), "Arn")), properties.get("RoleArn"));
        assertEquals(
                Map.of(
                        "StackWaitsTableName",
                        Map.of(
                                "Ref",
                                logicalId(
                                        synthesized.controlPlane().stackWaits().table()))),
                properties.get("DefinitionSubstitutions"));
    }

    @Test
    void settledStackEventsOnTheBusStartTheCallback() {
        StackEvents events = synthesized.controlPlane().stackEvents();
        template.hasResourceProperties("AWS::Events::EventBus", Map.of("Name", StackEvents.BUS_NAME));
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Map.of(
                        "EventBusName", Map.of("Ref", logicalId(events.bus())),
                        "EventPattern",
                                Map.of(
                                        "source", List.of("aws.cloudformation"),
                                        "detail-type", List.of("CloudFormation Stack Status Change"),
                                        "detail",
                                                Map.of(
                                                        "status-details",
                                                        Map.of("status", StackEvents.SETTLED_STATUSES))),
                        "Targets",
                                List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", logicalId(events.callback())))))));
    }

    @Test
    void lifecycleEventsArePipedFromTheTableStreamToTheirBusWithTheSharedFiltersAndTemplate() {
        // GIVEN the pipe's definition, shared with local mode
        LifecyclePipe definition =
                LifecyclePipe.read(Path.of(ProjectFiles.locate().require(ProjectFiles.LIFECYCLE_PIPE)));
        LifecycleEvents events = synthesized.controlPlane().lifecycleEvents();
        String table = logicalId(synthesized.controlPlane().table().table());
        String bus = logicalId(events.bus());

        // THEN the bus has its fixed name
        template.hasResourceProperties("AWS::Events::EventBus", Map.of("Name", LifecyclePipe.BUS_NAME));
        // AND one pipe reads the table's stream from its start, in batches of one PutEvents call, as its own role
        Map<String, Object> pipe = properties(single("AWS::Pipes::Pipe"));
        assertEquals(Map.of("Fn::GetAtt", List.of(table, "StreamArn")), pipe.get("Source"));
        assertEquals(Map.of("Fn::GetAtt", List.of(logicalId(events.pipeRole()), "Arn")), pipe.get("RoleArn"));
        Map<?, ?> source = (Map<?, ?>) pipe.get("SourceParameters");
        assertEquals(
                Map.of("StartingPosition", "TRIM_HORIZON", "BatchSize", LifecyclePipe.BATCH_SIZE),
                source.get("DynamoDBStreamParameters"));
        // AND it keeps the records the shared filters keep
        List<?> filters = (List<?>) ((Map<?, ?>) source.get("FilterCriteria")).get("Filters");
        assertEquals(definition.filters().size(), filters.size());
        for (int i = 0; i < filters.size(); i++) {
            String pattern = ((Map<?, ?>) filters.get(i)).get("Pattern").toString();
            assertEquals(Json.tree(definition.filters().get(i)), Json.tree(pattern), "filter " + i);
        }
        // AND puts each on the bus, shaped by the shared template, with the schema's source and detail-type
        assertEquals(Map.of("Fn::GetAtt", List.of(bus, "Arn")), pipe.get("Target"));
        Map<?, ?> target = (Map<?, ?>) pipe.get("TargetParameters");
        assertEquals(definition.inputTemplate(), target.get("InputTemplate"));
        assertEquals(
                Map.of("Source", "stackfleet.gameservers", "DetailType", "GameServer Status Changed"),
                target.get("EventBridgeEventBusParameters"));
        // AND the pipe is created after its role's policy, which it needs from its first read
        List<?> dependencies = (List<?>) template.findResources("AWS::Pipes::Pipe")
                .values()
                .iterator()
                .next()
                .get("DependsOn");
        String policy = logicalId(events.pipeRole().getNode().findChild("DefaultPolicy"));
        assertTrue(dependencies.contains(policy), "depends on " + policy + ": " + dependencies);
    }

    @Test
    void noStatementAnywhereAllowsAWildcardAction() {
        int allowed = 0;
        for (Template each : synthesized.allTemplates()) {
            for (Object statements : Json.findAll(each.toJSON(), "Statement")) {
                for (Object statement : asList(statements)) {
                    Map<?, ?> fields = (Map<?, ?>) statement;
                    // Deny statements (the TLS-only bucket and queue policies) may cover every action.
                    if ("Allow".equals(fields.get("Effect"))) {
                        assertFalse(fields.containsKey("NotAction"), "NotAction grants: " + fields);
                        for (Object action : asList(fields.get("Action"))) {
                            assertFalse(action.toString().contains("*"), "wildcard action " + action + " in " + fields);
                            allowed++;
                        }
                    }
                }
            }
        }
        assertTrue(
                allowed > 50, "found only " + allowed + " allowed actions: is the search looking in the right place?");
    }

    @Test
    void alarmsCoverFailuresDeadLettersIteratorAgeServerErrorsAndReconcileFindings() {
        Set<String> metrics = template.findResources("AWS::CloudWatch::Alarm").values().stream()
                .map(alarm -> properties(alarm).get("MetricName").toString())
                .collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        "ExecutionsFailed",
                        "ApproximateNumberOfMessagesVisible",
                        "IteratorAge",
                        "5xx",
                        "OrphanStacks",
                        "StuckServers",
                        "Unresolved",
                        "Errors"),
                metrics);
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of("MetricName", "ExecutionsFailed"), 2);
    }

    @Test
    void reconcilerRunsEveryIntervalOnePassAtATime() {
        // GIVEN the reconciler with the default settings
        JavaFunction handler = synthesized.controlPlane().reconciler().handler();
        String function = logicalId(handler.function());
        String alias = logicalId(handler.target());

        // THEN it is the reconciler jar's handler on the shared runtime, one instance at most, with a timeout
        // a minute above its time budget
        Map<String, Object> properties =
                properties(template.findResources("AWS::Lambda::Function").get(function));
        assertEquals("dev.stackfleet.reconciler.ReconcileHandler::handleRequest", properties.get("Handler"));
        assertEquals("java21", properties.get("Runtime"));
        assertEquals(1, properties.get("ReservedConcurrentExecutions"));
        assertEquals(ScheduledReconciler.TIME_BUDGET_SECONDS + 60, properties.get("Timeout"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), properties.get("SnapStart"));
        assertFalse(properties.containsKey("FunctionName"), "no physical function name");
        // AND EventBridge invokes it every 5 minutes
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Map.of(
                        "ScheduleExpression", "rate(5 minutes)",
                        "State", "ENABLED",
                        "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", alias))))));
        template.hasResourceProperties(
                "AWS::Lambda::Permission",
                Map.of(
                        "FunctionName", Map.of("Ref", alias),
                        "Principal", "events.amazonaws.com",
                        "SourceArn",
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(
                                                logicalId(synthesized
                                                        .controlPlane()
                                                        .reconciler()
                                                        .schedule()),
                                                "Arn"))));
        // AND an event that waits behind a running pass is dropped, not queued, and a failed pass is not retried
        template.hasResourceProperties(
                "AWS::Lambda::EventInvokeConfig",
                Map.of(
                        "FunctionName",
                        Map.of("Ref", function),
                        "Qualifier",
                        Map.of("Fn::Select", List.of(7, Map.of("Fn::Split", List.of(":", Map.of("Ref", alias))))),
                        "MaximumEventAgeInSeconds",
                        60,
                        "MaximumRetryAttempts",
                        0));
    }

    @Test
    void reconcilerRoleMayMakeExactlyTheCallsOfAPass() {
        // GIVEN the reconciler's role
        ControlPlaneStack controlPlane = synthesized.controlPlane();
        String table = logicalId(controlPlane.table().table());
        String provision = logicalId(controlPlane.workflows().provision());
        String deprovision = logicalId(controlPlane.workflows().deprovision());
        JavaFunction handler = controlPlane.reconciler().handler();
        List<Map<String, Object>> statements = statementsOf(template, logicalId(handler.role()));

        // THEN its statements are exactly these: FleetTable's three calls
        Map<String, Object> tableArn = Map.of("Fn::GetAtt", List.of(table, "Arn"));
        assertEquals(
                List.of(
                        Map.of(
                                "Sid",
                                "QueryByStatus",
                                "Effect",
                                "Allow",
                                "Action",
                                "dynamodb:Query",
                                "Resource",
                                Map.of("Fn::Join", List.of("", List.of(tableArn, "/index/by-status")))),
                        Map.of("Sid", "GetItem", "Effect", "Allow", "Action", "dynamodb:GetItem", "Resource", tableArn),
                        Map.of(
                                "Sid",
                                "RecordRepair",
                                "Effect",
                                "Allow",
                                "Action",
                                "dynamodb:UpdateItem",
                                "Resource",
                                tableArn,
                                "Condition",
                                Map.of(
                                        "ForAllValues:StringEquals",
                                                Map.of(
                                                        "dynamodb:Attributes",
                                                        List.of(
                                                                "owner",
                                                                "gameserver_id",
                                                                "reconcile_reason",
                                                                "reconciled_at",
                                                                "updated_at",
                                                                "status",
                                                                "generation")),
                                        "StringEquals", Map.of("dynamodb:ReturnValues", "NONE"))),
                        // AND the account pool, to leave quarantined accounts alone
                        Map.of(
                                "Sid",
                                "AccountPoolReads",
                                "Effect",
                                "Allow",
                                "Action",
                                "dynamodb:Scan",
                                "Resource",
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(
                                                logicalId(controlPlane
                                                        .accountPool()
                                                        .table()),
                                                "Arn")))),
                statements.stream()
                        .filter(s -> asList(s.get("Action")).toString().contains("dynamodb:"))
                        .toList());
        // AND WorkflowRuns' two: start either workflow, describe the executions of either
        assertEquals(
                List.of(
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "states:StartExecution",
                                "Resource",
                                List.of(Map.of("Ref", deprovision), Map.of("Ref", provision))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "states:DescribeExecution",
                                "Resource",
                                List.of(executions(deprovision), executions(provision)))),
                statements.stream()
                        .filter(s -> asList(s.get("Action")).toString().contains("states:"))
                        .toList());
        // AND StackInventory's: the observer role of each workload account, and no other role
        assertEquals(
                List.of(Map.of(
                        "Sid",
                        "AssumeWorkloadObserverRoles",
                        "Effect",
                        "Allow",
                        "Action",
                        "sts:AssumeRole",
                        "Resource",
                        List.of(
                                "arn:aws:iam::222222222222:role/stackfleet-workload-observer",
                                "arn:aws:iam::333333333333:role/stackfleet-workload-observer"))),
                statements.stream()
                        .filter(s -> asList(s.get("Action")).toString().contains("sts:"))
                        .toList());
        // AND besides, only its own log group and X-Ray (JavaFunction)
        assertEquals(
                List.of(
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                "Resource",
                                Map.of("Fn::GetAtt", List.of(logicalId(handler.logGroup()), "Arn"))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of("xray:PutTelemetryRecords", "xray:PutTraceSegments"),
                                "Resource",
                                "*")),
                statements.stream()
                        .filter(s -> !asList(s.get("Action")).toString().matches(".*(dynamodb|states|sts):.*"))
                        .toList());
        assertEquals(9, statements.size(), statements.toString());
        // AND the role has a name known at synthesis, which the observer roles of other accounts trust
        Map<String, Object> role =
                properties(template.findResources("AWS::IAM::Role").get(logicalId(handler.role())));
        assertTrue(
                role.get("RoleName") instanceof String name && name.startsWith("stackfleet-control-plane"),
                "generated role name: " + role.get("RoleName"));
        assertEquals(
                List.of(Map.of(
                        "Effect",
                        "Allow",
                        "Principal",
                        Map.of("Service", "lambda.amazonaws.com"),
                        "Action",
                        "sts:AssumeRole")),
                ((Map<?, ?>) role.get("AssumeRolePolicyDocument")).get("Statement"));
        assertFalse(role.containsKey("ManagedPolicyArns"));
    }

    @Test
    void reconcilerAlarmsWatchTheCountsEachPassReports() {
        for (String metric : List.of("OrphanStacks", "StuckServers", "Unresolved")) {
            template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Map.of(
                            "Namespace",
                            "stackfleet",
                            "MetricName",
                            metric,
                            "Dimensions",
                            Match.absent(),
                            "Statistic",
                            "Maximum",
                            "Period",
                            300,
                            "Threshold",
                            1,
                            "ComparisonOperator",
                            "GreaterThanOrEqualToThreshold",
                            "EvaluationPeriods",
                            1,
                            "TreatMissingData",
                            "ignore"));
        }
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "Namespace", "AWS/Lambda",
                        "MetricName", "Errors",
                        "Dimensions",
                                List.of(Map.of(
                                        "Name",
                                        "FunctionName",
                                        "Value",
                                        Map.of(
                                                "Ref",
                                                logicalId(synthesized
                                                        .controlPlane()
                                                        .reconciler()
                                                        .handler()
                                                        .function())))),
                        "Threshold", 1,
                        "ComparisonOperator", "GreaterThanOrEqualToThreshold"));
    }

    @Test
    void outputsTellOperatorsWhereEverythingIs() {
        for (String output : List.of(
                "ApiUrl",
                "TableName",
                "QuotaTableName",
                "ProvisionStateMachineArn",
                "DeprovisionStateMachineArn",
                "DeadLetterQueueUrl",
                "LifecycleEventBusName",
                "WorkflowRoleArn",
                "ReconcilerRoleArn",
                "GameServerTemplateBucket")) {
            template.hasOutput(output, Map.of("Description", Match.anyValue(), "Value", Match.anyValue()));
        }
    }

    @Test
    void templateBucketLetsOnlyTheWorkloadAccessRolesRead() {
        template.hasResourceProperties(
                "AWS::S3::BucketPolicy",
                Map.of(
                        "PolicyDocument",
                        Map.of(
                                "Statement",
                                Match.arrayWith(
                                        List.of(
                                                Match.objectLike(
                                                        Map.of(
                                                                "Effect",
                                                                "Allow",
                                                                "Action",
                                                                "s3:GetObject",
                                                                "Principal",
                                                                Map.of("AWS", Match.anyValue()),
                                                                "Condition",
                                                                Map.of(
                                                                        "ArnEquals",
                                                                        Map.of(
                                                                                "aws:PrincipalArn",
                                                                                "arn:aws:iam::222222222222:role/stackfleet-workload-access")))))))));
    }

    /** {@code arn:aws:states:<region>:<account>:execution:<state machine name>:*}, as CDK writes it. */
    private static Map<String, Object> executions(String stateMachine) {
        return Map.of(
                "Fn::Join",
                List.of(
                        "",
                        List.of(
                                "arn:aws:states:eu-west-1:111111111111:execution:",
                                Map.of(
                                        "Fn::Select",
                                        List.of(6, Map.of("Fn::Split", List.of(":", Map.of("Ref", stateMachine))))),
                                ":*")));
    }

    private static Object roleOf(IConstruct stateMachine) {
        return properties(template.findResources("AWS::StepFunctions::StateMachine")
                        .get(logicalId(stateMachine)))
                .get("RoleArn");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Object resource) {
        return (Map<String, Object>) ((Map<String, Object>) resource).get("Properties");
    }

    private static Map<String, Object> single(String type) {
        Map<String, Map<String, Object>> resources = template.findResources(type);
        assertEquals(1, resources.size(), type);
        return resources.values().iterator().next();
    }

    private static Set<String> actionsOf(List<Map<String, Object>> statements, String prefix) {
        return statements.stream()
                .flatMap(s -> asList(s.get("Action")).stream())
                .map(Object::toString)
                .filter(action -> action.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    @Test
    void eachListedAccountIsRegisteredInThePoolWithItsCapacityAndState() {
        // GIVEN the shared app's two workload accounts, as the settings list them (open, default capacity)
        String pool = logicalId(synthesized.controlPlane().accountPool().table());

        // THEN a deployment registers each with the same UpdateItem local mode makes, never touching its servers
        for (String account : SynthesizedApp.WORKLOAD_ACCOUNTS) {
            String create =
                    synthesized.controlPlaneTemplate().findResources("Custom::StackfleetPoolAccount").values().stream()
                            .map(Object::toString)
                            .filter(resource -> resource.contains(account))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no registration of " + account));
            assertTrue(
                    create.contains("SET #region = :region, #capacity = :capacity, #state = :state, "
                            + "#used = if_not_exists(#used, :zero)"),
                    create);
            assertTrue(create.contains("2000") && create.contains("open"), "capacity and state: " + create);
            assertTrue(create.contains("draining"), "an account taken out of the settings drains: " + create);
            assertTrue(create.contains(pool), create);
        }
        template.resourceCountIs("Custom::StackfleetPoolAccount", SynthesizedApp.WORKLOAD_ACCOUNTS.size());
    }
}
