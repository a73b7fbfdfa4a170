package dev.stackfleet.cdk;

import dev.stackfleet.core.LifecyclePipe;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CDK app finds what the other parts of stackfleet build: the Lambda jars Maven packaged,
 * the state machine definitions, the lifecycle-event pipe's definition and the workload-account templates. The paths are those of
 * {@code docs/contracts.md}, relative to the repository root; the app reads the files in place and
 * never from copies.
 */
public record ProjectFiles(Path root) {

    public static final String API_JAR = "lambdas/api/target/stackfleet-api.jar";
    public static final String STREAM_JAR = "lambdas/stream/target/stackfleet-stream.jar";
    public static final String RECONCILER_JAR = "lambdas/reconciler/target/stackfleet-reconciler-lambda.jar";
    public static final String STREAM_EVENT_SOURCE = "lambdas/stream/src/main/resources/stream-event-source.json";
    public static final String PROVISION_ASL = "statemachines/provision.asl.json";
    public static final String DEPROVISION_ASL = "statemachines/deprovision.asl.json";
    public static final String STACK_EVENT_ASL = "statemachines/stack-event.asl.json";
    public static final String ROLLOUT_ASL = "statemachines/rollout.asl.json";
    public static final String LIFECYCLE_PIPE = LifecyclePipe.FILE;
    public static final String WORKLOAD_ACCESS_TEMPLATE = "templates/workload-access.yaml";

    /**
     * The repository root: the system property {@code stackfleet.root} when set (Maven sets it for the
     * tests), else the nearest folder from the working directory upwards that holds both
     * {@code statemachines/} and {@code cdk/} ({@code cdk synth} runs in {@code cdk/}).
     */
    public static ProjectFiles locate() {
        String configured = System.getProperty("stackfleet.root");
        if (configured != null && !configured.isBlank()) {
            return new ProjectFiles(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("statemachines")) && Files.isDirectory(dir.resolve("cdk"))) {
                return new ProjectFiles(dir);
            }
        }
        throw new IllegalStateException("cannot find the stackfleet repository root above "
                + Path.of("").toAbsolutePath() + ": run the app from the repository or set -Dstackfleet.root");
    }

    /** The absolute path of a file the app needs; fails with what to do when it does not exist. */
    public String require(String relativePath) {
        Path path = root.resolve(relativePath);
        if (!Files.isRegularFile(path)) {
            String hint = relativePath.endsWith(".jar")
                    ? "build the Lambda jars first: mvn -pl cdk -am package"
                    : "it belongs to another part of stackfleet (see docs/contracts.md) and must be present to synthesize";
            throw new IllegalStateException("missing " + relativePath + " under " + root + ": " + hint);
        }
        return path.toString();
    }
}
