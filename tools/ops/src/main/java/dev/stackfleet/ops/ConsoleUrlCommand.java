package dev.stackfleet.ops;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops console-url <execution-arn>}: the AWS console page of an execution, in the ARN's region. */
@Command(name = "console-url", description = "Print the AWS console link of an execution.")
final class ConsoleUrlCommand implements Callable<Integer> {

    private static final Map<String, String> CONSOLE_DOMAINS = Map.of(
            "aws", "console.aws.amazon.com",
            "aws-cn", "console.amazonaws.cn",
            "aws-us-gov", "console.amazonaws-us-gov.com");

    @ParentCommand
    OpsMain ops;

    @Parameters(paramLabel = "EXECUTION_ARN", description = "arn:aws:states:<region>:<account>:execution:...")
    String executionArn;

    @Override
    public Integer call() {
        String url = of(executionArn);
        if (ops.json()) {
            Json.print(ops.out(), Map.of("executionArn", executionArn, "url", url));
        } else {
            ops.out().println(url);
        }
        return 0;
    }

    /** The console link of an execution; the region and partition come from the ARN. */
    static String of(String executionArn) {
        String[] parts = StateMachines.executionArnParts(executionArn);
        String domain = CONSOLE_DOMAINS.get(parts[1]);
        if (domain == null) {
            throw new OpsException("no console is known for partition " + parts[1] + " of " + executionArn);
        }
        String region = parts[3];
        return "https://" + region + "." + domain + "/states/home?region=" + region + "#/v2/executions/details/"
                + executionArn;
    }
}
