package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** cfn-lint accepts every synthesized template. */
class CfnLintTest {

    @Test
    void synthesizedTemplatesPassCfnLint() throws IOException, InterruptedException {
        // GIVEN the cfn-lint that ./stackfleet installs into .venv
        String cfnLint = System.getProperty(
                "stackfleet.cfnLint",
                ProjectFiles.locate().root().resolve(".venv/bin/cfn-lint").toString());
        assertTrue(
                Files.isExecutable(Path.of(cfnLint)),
                "cfn-lint not found at " + cfnLint + ": run ./stackfleet test (it installs .venv), "
                        + "or pass -Dstackfleet.cfnLint=/path/to/cfn-lint");
        // AND the templates of the synthesized app
        Path outdir = SynthesizedApp.get().outdir;
        List<String> templates;
        try (Stream<Path> files = Files.list(outdir)) {
            templates = files.map(Path::toString)
                    .filter(name -> name.endsWith(".template.json"))
                    .sorted()
                    .toList();
        }
        assertEquals(1 + SynthesizedApp.WORKLOAD_ACCOUNTS.size(), templates.size(), "templates in " + outdir);

        // WHEN cfn-lint checks them
        List<String> command = new ArrayList<>(List.of(
                cfnLint,
                // W3005 (DependsOn also implied by a Ref): CDK adds both on purpose for its default policies.
                "--ignore-checks",
                "W3005",
                "--"));
        command.addAll(templates);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cfn-lint did not finish");

        // THEN it reports nothing
        assertEquals(0, process.exitValue(), "cfn-lint findings:\n" + output);
    }
}
