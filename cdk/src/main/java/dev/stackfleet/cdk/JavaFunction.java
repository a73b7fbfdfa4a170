package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.PhysicalName;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One stackfleet Lambda function from a jar Maven built, with the settings every stackfleet function
 * shares: Java runtime, arm64, JSON logs into its own log group, active X-Ray tracing, and an
 * execution role that holds nothing but the right to write that log group (callers add their grants
 * to {@link #role()}). With SnapStart, callers invoke {@link #target()}, an alias on a published
 * version, because SnapStart applies only to published versions.
 */
public final class JavaFunction extends Construct {

    /**
     * Lambda runtime of all functions. It follows {@code maven.compiler.release} (21) of the parent
     * pom: move both together.
     */
    public static final Runtime RUNTIME = Runtime.JAVA_21;

    /**
     * What a function needs beyond the shared settings.
     *
     * @param reservedConcurrency the most instances that run at once, or {@code null} for the account's pool
     * @param roleNamedInOtherAccounts whether stacks in other accounts name the execution role (a trust
     *     policy): then the role gets a generated name, known at synthesis
     */
    public record Props(
            String description,
            String jarPath,
            String handler,
            int memoryMb,
            Duration timeout,
            Map<String, String> environment,
            boolean snapStart,
            Integer reservedConcurrency,
            boolean roleNamedInOtherAccounts) {

        /** A function from the account's concurrency pool whose role no other account names. */
        public Props(
                String description,
                String jarPath,
                String handler,
                int memoryMb,
                Duration timeout,
                Map<String, String> environment,
                boolean snapStart) {
            this(description, jarPath, handler, memoryMb, timeout, environment, snapStart, null, false);
        }
    }

    private final Function function;
    private final Role role;
    private final LogGroup logGroup;
    private final IFunction target;

    public JavaFunction(Construct scope, String id, Props props) {
        super(scope, id);
        logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .build();
        role = Role.Builder.create(this, "Role")
                // Generated, not chosen, and only when asked for: a trust policy in another account can name
                // this role only by a name known at synthesis.
                .roleName(props.roleNamedInOtherAccounts() ? PhysicalName.GENERATE_IF_NEEDED : null)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Execution role of " + props.description())
                .build();
        logGroup.grantWrite(role);
        function = Function.Builder.create(this, "Function")
                .description(props.description())
                .runtime(RUNTIME)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(props.jarPath()))
                .handler(props.handler())
                .memorySize(props.memoryMb())
                .timeout(props.timeout())
                .environment(props.environment())
                .role(role)
                .reservedConcurrentExecutions(props.reservedConcurrency())
                .logGroup(logGroup)
                .loggingFormat(LoggingFormat.JSON)
                .tracing(Tracing.ACTIVE)
                .snapStart(props.snapStart() ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .build();
        target = props.snapStart()
                ? Alias.Builder.create(this, "Live")
                        .aliasName("live")
                        .version(function.getCurrentVersion())
                        .build()
                : function;
        if (props.snapStart()) {
            Annotations.of(function)
                    .acknowledgeWarning(
                            "@aws-cdk/aws-lambda:snapStartRequirePublish",
                            "Invoked only through the live alias, on a version published by this stack");
        }
        NagSuppressions.addResourceSuppressions(
                function,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-L1")
                        .reason(
                                "The jars are compiled for Java 21 (maven.compiler.release in the parent pom); the runtime "
                                        + "moves with the build, not ahead of it")
                        .build()));
        NagSuppressions.addResourceSuppressions(
                role,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Only actions without resource-level permissions use Resource *: X-Ray trace upload "
                                + "(tracing) and dynamodb:ListStreams (stream event source mapping)")
                        .appliesTo(List.of("Resource::*"))
                        .build()),
                true);
    }

    public Function function() {
        return function;
    }

    public Role role() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    /** What triggers invoke: the {@code live} alias with SnapStart, else the function itself. */
    public IFunction target() {
        return target;
    }
}
