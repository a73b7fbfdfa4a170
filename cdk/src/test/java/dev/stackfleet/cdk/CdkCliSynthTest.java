package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code cdk synth} with the pinned CDK CLI, exactly as {@code ./stackfleet synth} runs it: proves that
 * cdk.json starts the app and that the sample context in cdk.json is enough to synthesize. Skipped with
 * {@code -Dskip.npm} (no npm registry).
 */
class CdkCliSynthTest {

    @Test
    void cdkSynthWithThePinnedCliSynthesizesEveryStack() throws IOException, InterruptedException {
        assumeFalse(Boolean.parseBoolean(System.getProperty("stackfleet.skipNpm", "false")), "-Dskip.npm");
        // GIVEN the CLI version pinned beside cdk.json
        Path cdkDir = ProjectFiles.locate().root().resolve("cdk");
        String version = Files.readString(cdkDir.resolve("cdk-cli-version")).trim();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+"), "cdk-cli-version must hold one version, got " + version);
        Path out = cdkDir.resolve("target/cdk-cli.out");

        // WHEN cdk synth runs in cdk/
        ProcessBuilder builder = new ProcessBuilder(
                        List.of("npx", "--yes", "aws-cdk@" + version, "synth", "--quiet", "--output", out.toString()))
                .directory(cdkDir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        builder.environment().put("CDK_DISABLE_CLI_TELEMETRY", "true");
        builder.environment().put("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "cdk synth did not finish");

        // THEN it succeeds and writes the control plane and one workload-access stack per sample account
        assertEquals(0, process.exitValue(), "cdk synth failed:\n" + output);
        assertTrue(Files.isRegularFile(out.resolve(StackfleetApp.CONTROL_PLANE_STACK + ".template.json")), output);
        try (var files = Files.list(out)) {
            assertTrue(
                    files.anyMatch(file ->
                            file.getFileName().toString().startsWith(StackfleetApp.WORKLOAD_ACCESS_STACK_PREFIX)),
                    "no workload-access stack in " + out);
        }
    }
}
