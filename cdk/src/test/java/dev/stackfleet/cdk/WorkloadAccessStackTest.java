package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
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

  @Test
  void observerPrincipalsGetAReadOnlyRoleSeparateFromTheAccessRole() {
    // GIVEN the app with observer principals
    for (WorkloadAccessStack stack : SynthesizedApp.get().stacks.workloadAccess()) {
      Template template = Template.fromStack(stack);
      // THEN the principals are the parameter's default
      template.hasParameter("ObserverPrincipalArns", Map.of("Type", "CommaDelimitedList",
          "Default", String.join(",", SynthesizedApp.OBSERVER_PRINCIPALS)));
      // AND the observer role trusts them alone and may only describe stackfleet-* stacks
      template.hasResource("AWS::IAM::Role", Map.of(
          "Condition", "HasObservers",
          "Properties", Match.objectLike(Map.of(
              "RoleName", "stackfleet-workload-observer",
              "AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
                  "Effect", "Allow",
                  "Principal", Map.of("AWS", Map.of("Ref", "ObserverPrincipalArns")),
                  "Action", "sts:AssumeRole"))),
              "Policies", List.of(Map.of("PolicyDocument", Map.of("Statement", List.of(Map.of(
                  "Effect", "Allow",
                  "Action", List.of("cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
                      "cloudformation:DescribeStackResources"),
                  "Resource", Map.of("Fn::Sub",
                      "arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:stack/stackfleet-*/*"))))))))));
      // AND the access role still trusts the workflow role alone
      template.hasResourceProperties("AWS::IAM::Role", Map.of(
          "RoleName", "stackfleet-workload-access",
          "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
              "Principal", Map.of("AWS", Map.of("Ref", "ControlPlaneWorkflowRoleArn"))))))));
    }
  }

  @Test
  void withoutObserverPrincipalsTheObserverRoleIsLeftOut() {
    // GIVEN an installation without observer principals
    Config config = new Config("111111111111", "eu-west-1", List.of("222222222222"), "222222222222",
        "eu-west-1", 10, 5, 60, 8, Optional.empty(), 50, 100, Optional.empty(), List.of());

    // WHEN its workload access stack is synthesized
    Template template = Template.fromStack(
        StackfleetApp.build(new App(), config, ProjectFiles.locate()).workloadAccess().getFirst());

    // THEN the parameter stays empty, which the role's condition turns into no role
    template.hasParameter("ObserverPrincipalArns", Map.of("Default", ""));
    template.hasCondition("HasObservers", Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(
        Map.of("Fn::Join", List.of("", Map.of("Ref", "ObserverPrincipalArns"))), "")))));
    template.hasResource("AWS::IAM::Role", Match.objectLike(Map.of("Condition", "HasObservers",
        "Properties", Match.objectLike(Map.of("RoleName", "stackfleet-workload-observer")))));
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
