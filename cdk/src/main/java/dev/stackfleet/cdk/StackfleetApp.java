package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;

/**
 * The stackfleet CDK app: one control plane stack, and one workload-access stack per workload account,
 * all checked by cdk-nag's AWS Solutions rules. Settings: {@link Config}, docs/deploy.md.
 */
public final class StackfleetApp {

    public static final String CONTROL_PLANE_STACK = "stackfleet-control-plane";
    public static final String WORKLOAD_ACCESS_STACK_PREFIX = "stackfleet-workload-access-";

    private StackfleetApp() {}

    public static void main(String[] args) {
        App app = new App();
        build(app, Config.from(key -> app.getNode().tryGetContext(key), System.getenv()), ProjectFiles.locate());
        app.synth();
    }

    /** The stacks of one installation. */
    public record Stacks(ControlPlaneStack controlPlane, List<WorkloadAccessStack> workloadAccess) {}

    /** Adds stackfleet's stacks and checks to {@code app}. */
    public static Stacks build(App app, Config config, ProjectFiles files) {
        ControlPlaneStack controlPlane = new ControlPlaneStack(app, CONTROL_PLANE_STACK, config, files);
        List<WorkloadAccessStack> workloadAccess = config.workloadAccounts().stream()
                .map(account -> {
                    WorkloadAccessStack access = new WorkloadAccessStack(
                            app,
                            WORKLOAD_ACCESS_STACK_PREFIX + account,
                            new WorkloadAccessStack.Props(
                                    account,
                                    config.region(),
                                    controlPlane.workflowRole(),
                                    controlPlane.reconcilerRole(),
                                    controlPlane.templateBucket(),
                                    config.observerPrincipals(),
                                    StackEvents.busArn(config.controlPlaneAccount(), config.region())),
                            files);
                    // The trust policies name the workflow and reconciler roles, which must exist first.
                    access.addStackDependency(controlPlane, "the access roles trust the workflow and reconciler roles");
                    return access;
                })
                .toList();
        Aspects.of(app).add(new AwsSolutionsChecks());
        return new Stacks(controlPlane, workloadAccess);
    }
}
