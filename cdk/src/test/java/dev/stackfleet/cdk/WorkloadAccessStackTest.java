package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class WorkloadAccessStackTest {

  @Test
  void eachWorkloadAccountGetsTheAccessTemplateTrustingTheWorkflowRole() {
    // GIVEN the app with two workload accounts
    SynthesizedApp synthesized = SynthesizedApp.get();
    ControlPlaneStack controlPlane = synthesized.controlPlane();
    String workflowRoleArn = "arn:aws:iam::" + SynthesizedApp.CONTROL_PLANE_ACCOUNT + ":role/"
        + physicalName(controlPlane.workflowRole().getNode().getDefaultChild(), "RoleName");
    String templateBucket = physicalName(controlPlane.templateBucket().getNode().getDefaultChild(), "BucketName");

    // THEN there is one stack per account, in that account
    assertEquals(SynthesizedApp.WORKLOAD_ACCOUNTS,
        synthesized.stacks.workloadAccess().stream().map(stack -> stack.getAccount()).toList());
    for (WorkloadAccessStack stack : synthesized.stacks.workloadAccess()) {
      Template template = Template.fromStack(stack);
      // AND it holds the template's roles under their contract names
      template.hasResourceProperties("AWS::IAM::Role", Map.of("RoleName", "stackfleet-workload-access"));
      template.hasResourceProperties("AWS::IAM::Role", Map.of("RoleName", "stackfleet-cloudformation-execution"));
      // AND its parameters default to the control plane's workflow role and template bucket
      template.hasParameter("ControlPlaneWorkflowRoleArn", Map.of("Default", workflowRoleArn));
      template.hasParameter("TemplateBucketName", Map.of("Default", templateBucket));
      template.hasParameter("TemplateKeyPrefix", Map.of("Default", GameServerTemplateStore.KEY_PREFIX));
      template.hasResourceProperties("AWS::IAM::Role", Map.of(
          "RoleName", "stackfleet-workload-access",
          "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
              "Principal", Map.of("AWS", Map.of("Ref", "ControlPlaneWorkflowRoleArn"))))))));
    }
  }

  /** The name CloudFormation gives a resource of the control plane, which must be a plain string. */
  private static String physicalName(software.constructs.IConstruct resource, String property) {
    Map<?, ?> properties = (Map<?, ?>) SynthesizedApp.get().controlPlaneTemplate()
        .findResources(((software.amazon.awscdk.CfnResource) resource).getCfnResourceType())
        .get(SynthesizedApp.logicalId(resource)).get("Properties");
    Object name = properties.get(property);
    assertEquals(String.class, name.getClass(), property + " must be known at synthesis: " + name);
    return (String) name;
  }
}
