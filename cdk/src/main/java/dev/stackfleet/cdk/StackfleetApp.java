package dev.stackfleet.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
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

  /** Adds stackfleet's stacks and checks to {@code app}; returns the control plane stack. */
  public static ControlPlaneStack build(App app, Config config, ProjectFiles files) {
    ControlPlaneStack controlPlane = new ControlPlaneStack(app, CONTROL_PLANE_STACK, config, files);
    for (String account : config.workloadAccounts()) {
      WorkloadAccessStack access = new WorkloadAccessStack(app, WORKLOAD_ACCESS_STACK_PREFIX + account,
          account, config.region(), controlPlane.workflowRole(), controlPlane.templateBucket(), files);
      access.addStackDependency(controlPlane, "the trust policy names the workflow role, which must exist");
    }
    Aspects.of(app).add(new AwsSolutionsChecks());
    return controlPlane;
  }

  /** An app whose assembly goes to {@code outdir}, for tests. */
  public static App appWithOutdir(String outdir) {
    return new App(AppProps.builder().outdir(outdir).build());
  }
}
