package dev.stackfleet.cdk;

import dev.stackfleet.core.OwnerClaim;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The game-server HTTP API: five routes, one Lambda each (all from the API jar, with SnapStart),
 * behind a JWT authorizer; the owner is the token's immutable subject ({@link Config#ownerClaim()}), never its
 * username. The Lambdas only validate and write the table: each may make exactly the table calls of its route
 * ({@link #TABLE_CALLS}), and create and delete take and free the owner's quota slots.
 *
 * <p>Tokens come from a Cognito user pool that this construct creates, unless {@link Config#jwt()}
 * names an external issuer and audience.
 */
public final class GameServerApi extends Construct {

    private static final String HANDLERS = "dev.stackfleet.api.";
    /**
     * The table calls each route makes (GameServerService on DynamoDbGameServerStore), and no others: create
     * writes the new server ({@code PutItem}, in a transaction with its quota slot) and reads it back when an
     * earlier attempt's answer was lost ({@code GetItem}); list pages through the owner's servers ({@code Query});
     * get reads one ({@code GetItem}); update and delete read it and write the change ({@code UpdateItem}; a
     * deletion only marks the item, the deprovision workflow removes it). The quota table's grants are separate.
     */
    static final Map<String, List<String>> TABLE_CALLS = Map.of(
            "Create", List.of("dynamodb:GetItem", "dynamodb:PutItem"),
            "List", List.of("dynamodb:Query"),
            "Get", List.of("dynamodb:GetItem"),
            "Update", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
            "Delete", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"));

    /**
     * One JSON line per request, from context variables that HTTP APIs support (the REST API "standard
     * fields" include some they reject, such as {@code $context.resourcePath}).
     */
    private static final AccessLogFormat ACCESS_LOG_FORMAT = AccessLogFormat.custom("{"
            + "\"requestId\":\"$context.requestId\","
            + "\"ip\":\"$context.identity.sourceIp\","
            + "\"requestTime\":\"$context.requestTime\","
            + "\"routeKey\":\"$context.routeKey\","
            + "\"status\":\"$context.status\","
            + "\"protocol\":\"$context.protocol\","
            + "\"responseLength\":\"$context.responseLength\","
            + "\"integrationLatency\":\"$context.integrationLatency\","
            + "\"integrationError\":\"$context.integrationErrorMessage\","
            + "\"authorizerError\":\"$context.authorizer.error\"}");

    /** What the API needs. */
    public record Props(
            ITable table,
            QuotaTable quotaTable,
            AccountPoolTable accountPool,
            ReleasesTable releases,
            String jarPath,
            Config config) {}

    private final HttpApi httpApi;
    private final HttpStage stage;
    private final Optional<UserPool> userPool;
    private final Optional<UserPoolClient> userPoolClient;
    private final Map<String, JavaFunction> functions;

    public GameServerApi(Construct scope, String id, Props props) {
        super(scope, id);
        Config config = props.config();
        Map<String, String> environment = Map.of(
                "ACCOUNT_POOL_TABLE_NAME",
                props.accountPool().table().getTableName(),
                "TABLE_NAME",
                props.table().getTableName(),
                "QUOTA_TABLE_NAME",
                props.quotaTable().table().getTableName(),
                "RELEASES_TABLE_NAME",
                props.releases().table().getTableName(),
                "MAX_SERVERS_PER_OWNER",
                Integer.toString(config.maxServersPerOwner()),
                OwnerClaim.ENVIRONMENT_VARIABLE,
                config.ownerClaim().setting(),
                "PLACEMENT_ROLE_NAME",
                Workflows.WORKLOAD_ACCESS_ROLE_NAME,
                "JAVA_TOOL_OPTIONS",
                "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");

        JavaFunction create = function("Create", "CreateGameServerHandler", "create a game server", props, environment);
        JavaFunction list =
                function("List", "ListGameServersHandler", "list the caller's game servers", props, environment);
        JavaFunction get = function("Get", "GetGameServerHandler", "read one game server", props, environment);
        JavaFunction update =
                function("Update", "UpdateGameServerHandler", "change a game server's config", props, environment);
        JavaFunction delete =
                function("Delete", "DeleteGameServerHandler", "request a game server's deletion", props, environment);
        functions = Map.of("Create", create, "List", list, "Get", get, "Update", update, "Delete", delete);

        // Exactly the calls each route makes, on the table only (the API never reads the by-status index).
        List.of("Create", "List", "Get", "Update", "Delete")
                .forEach(route -> allowOnTable(functions.get(route), props.table(), TABLE_CALLS.get(route)));
        // A create reads the owner's slots, then takes one in a transaction with the server; a delete frees it.
        props.quotaTable().grantSlotReads(create.role());
        List.of(create, delete).forEach(writer -> props.quotaTable().grantSlotUpdates(writer.role()));
        // A create reads the account pool to place the server, then takes one of its account's slots in the same
        // transaction; the slot is freed by the deprovision workflow once the stack is gone.
        props.accountPool().grantPoolReads(create.role());
        props.accountPool().grantSlotUpdates(create.role());
        // A create gives the server the current template release, and so does the first update of a server written
        // before releases existed.
        List.of(create, update).forEach(writer -> props.releases().grantCurrentReleaseRead(writer.role()));

        IHttpRouteAuthorizer authorizer;
        if (config.jwt().isPresent()) {
            Config.Jwt jwt = config.jwt().get();
            authorizer = HttpJwtAuthorizer.Builder.create("JwtAuthorizer", jwt.issuer())
                    .jwtAudience(jwt.audience())
                    .build();
            userPool = Optional.empty();
            userPoolClient = Optional.empty();
        } else {
            UserPool pool = UserPool.Builder.create(this, "Players")
                    .selfSignUpEnabled(true)
                    .signInAliases(
                            SignInAliases.builder().username(true).email(true).build())
                    .passwordPolicy(PasswordPolicy.builder()
                            .minLength(12)
                            .requireDigits(true)
                            .requireLowercase(true)
                            .requireUppercase(true)
                            .requireSymbols(true)
                            .build())
                    .mfa(Mfa.OPTIONAL)
                    .mfaSecondFactor(
                            MfaSecondFactor.builder().otp(true).sms(false).build())
                    .featurePlan(FeaturePlan.ESSENTIALS)
                    .build();
            UserPoolClient client = pool.addClient(
                    "ApiClient",
                    UserPoolClientOptions.builder()
                            .authFlows(AuthFlow.builder().userSrp(true).build())
                            .generateSecret(false)
                            .build());
            authorizer = HttpUserPoolAuthorizer.Builder.create("UserPoolAuthorizer", pool)
                    .userPoolClients(List.of(client))
                    .build();
            userPool = Optional.of(pool);
            NagSuppressions.addResourceSuppressions(
                    pool,
                    List.of(
                            NagPackSuppression.builder()
                                    .id("AwsSolutions-COG2")
                                    .reason(
                                            "Players sign up themselves for game servers; TOTP MFA is offered, not forced")
                                    .build(),
                            NagPackSuppression.builder()
                                    .id("AwsSolutions-COG3")
                                    .reason(
                                            "Threat protection needs the Cognito Plus plan, billed per player; an installation "
                                                    + "that needs it sets jwtIssuer/jwtAudience or raises the plan")
                                    .build()));
            userPoolClient = Optional.of(client);
        }

        httpApi = HttpApi.Builder.create(this, "HttpApi")
                .description("stackfleet game servers")
                .defaultAuthorizer(authorizer)
                // The stage below carries the throttling and access logs, which the default stage cannot.
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .build();
        IAccessLogDestination destination = new LogGroupLogDestination(accessLogs);
        stage = HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(httpApi)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(config.apiRateLimit())
                        .burstLimit(config.apiBurstLimit())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return ACCESS_LOG_FORMAT;
                    }
                })
                .build();

        route("/gameservers", HttpMethod.POST, create);
        route("/gameservers", HttpMethod.GET, list);
        route("/gameservers/{id}", HttpMethod.GET, get);
        route("/gameservers/{id}", HttpMethod.PATCH, update);
        route("/gameservers/{id}", HttpMethod.DELETE, delete);
    }

    private JavaFunction function(
            String id, String handlerClass, String purpose, Props props, Map<String, String> environment) {
        return new JavaFunction(
                this,
                id,
                new JavaFunction.Props(
                        "stackfleet API: " + purpose,
                        props.jarPath(),
                        HANDLERS + handlerClass + "::handleRequest",
                        1024,
                        Duration.seconds(10),
                        environment,
                        true));
    }

    /** Not {@code table.grant(...)}: that also grants every index, which the API never reads. */
    private static void allowOnTable(JavaFunction function, ITable table, List<String> actions) {
        function.role()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .sid("GameServersTable")
                        .actions(actions)
                        .resources(List.of(table.getTableArn()))
                        .build());
    }

    private void route(String path, HttpMethod method, JavaFunction function) {
        httpApi.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(new HttpLambdaIntegration(function.getNode().getId() + "Integration", function.target()))
                .build());
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    public HttpStage stage() {
        return stage;
    }

    public Optional<UserPool> userPool() {
        return userPool;
    }

    public Optional<UserPoolClient> userPoolClient() {
        return userPoolClient;
    }

    /** The API's functions by route purpose: Create, List, Get, Update, Delete. */
    public Map<String, JavaFunction> functions() {
        return functions;
    }
}
