package dev.stackfleet.ops;

import dev.stackfleet.local.LocalAws;
import dev.stackfleet.local.TestEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ./stackfleet ops} command line run in-process against a local control plane, with the settings
 * local mode prints for operators.
 *
 * @param exit the exit status
 * @param out standard output
 * @param err standard error
 */
record OpsRun(int exit, String out, String err) {

    static OpsRun against(TestEnvironment environment, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(settings(environment));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OpsMain.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new OpsRun(exit, out.toString(), err.toString());
    }

    /** The options local mode prints for operators: the emulator's endpoint and the workflows' ARNs. */
    static List<String> settings(TestEnvironment environment) {
        var resources = environment.controlPlane().resources();
        return List.of(
                "--endpoint-url",
                environment.aws().endpoint().toString(),
                "--region",
                "us-east-1",
                "--provision-state-machine",
                resources.provisionArn(),
                "--deprovision-state-machine",
                resources.deprovisionArn(),
                "--rollout-state-machine",
                resources.rolloutArn(),
                "--cfn-lint",
                environment
                        .resources()
                        .gameServerTemplate()
                        .getParent()
                        .resolveSibling(".venv/bin/cfn-lint")
                        .toString(),
                "--emulator-account",
                LocalAws.ACCOUNT_ID);
    }
}
