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
        String templateBucket =
                physicalName(controlPlane.templateBucket().getNode().getDefaultChild(), "BucketName");

        // THEN there is one stack per account, in that account
        assertEquals(
                SynthesizedApp.WORKLOAD_ACCOUNTS,
                synthesized.stacks.workloadAccess().stream()
                        .map(stack -> stack.getAccount())
                        .toList());
        for (WorkloadAccessStack stack : synthesized.stacks.workloadAccess()) {
            Template template = Template.fromStack(stack);
            // AND it holds the template's roles under their contract names
            template.hasResourceProperties("AWS::IAM::Role", Map.of("RoleName", "stackfleet-workload-access"));
            template.hasResourceProperties("AWS::IAM::Role", Map.of("RoleName", "stackfleet-cloudformation-execution"));
            // AND its parameters default to the control plane's workflow role and template bucket
            template.hasParameter("ControlPlaneWorkflowRoleArn", Map.of("Default", workflowRoleArn));
            template.hasParameter("TemplateBucketName", Map.of("Default", templateBucket));
            template.hasParameter("TemplateKeyPrefix", Map.of("Default", GameServerTemplateStore.KEY_PREFIX));
            template.hasResourceProperties(
                    "AWS::IAM::Role",
                    Map.of(
                            "RoleName",
                            "stackfleet-workload-access",
                            "AssumeRolePolicyDocument",
                            Map.of(
                                    "Statement",
                                    List.of(Match.objectLike(Map.of(
                                            "Principal",
                                            Map.of("AWS", Map.of("Ref", "ControlPlaneWorkflowRoleArn"))))))));
        }
    }

    @Test
    void theReconcilerAndTheObserverPrincipalsGetAReadOnlyRoleSeparateFromTheAccessRole() {
        // GIVEN the app with observer principals
        String reconcilerRoleArn = "arn:aws:iam::" + SynthesizedApp.CONTROL_PLANE_ACCOUNT + ":role/"
                + physicalName(
                        SynthesizedApp.get()
                                .controlPlane()
                                .reconcilerRole()
                                .getNode()
                                .getDefaultChild(),
                        "RoleName");
        for (WorkloadAccessStack stack : SynthesizedApp.get().stacks.workloadAccess()) {
            Template template = Template.fromStack(stack);
            // THEN the reconciler's role and the principals are the parameters' defaults
            template.hasParameter(
                    "ControlPlaneReconcilerRoleArn", Map.of("Type", "String", "Default", reconcilerRoleArn));
            template.hasParameter(
                    "ObserverPrincipalArns",
                    Map.of(
                            "Type",
                            "CommaDelimitedList",
                            "Default",
                            String.join(",", SynthesizedApp.OBSERVER_PRINCIPALS)));
            // AND the observer role trusts the reconciler's role (pinned by ARN) and the principals, nobody else
            template.hasResource(
                    "AWS::IAM::Role",
                    Map.of(
                            "Condition",
                            "HasObserverRole",
                            "Properties",
                            Match.objectLike(
                                    Map.of(
                                            "RoleName", "stackfleet-workload-observer",
                                            "AssumeRolePolicyDocument",
                                                    Map.of(
                                                            "Version",
                                                            "2012-10-17",
                                                            "Statement",
                                                            List.of(
                                                                    Map.of(
                                                                            "Fn::If",
                                                                            List.of(
                                                                                    "TrustsReconciler",
                                                                                    Map.of(
                                                                                            "Sid", "TrustTheReconciler",
                                                                                            "Effect", "Allow",
                                                                                            "Principal",
                                                                                                    Map.of(
                                                                                                            "AWS",
                                                                                                            Map.of(
                                                                                                                    "Ref",
                                                                                                                    "ControlPlaneReconcilerRoleArn")),
                                                                                            "Action", "sts:AssumeRole",
                                                                                            "Condition",
                                                                                                    Map.of(
                                                                                                            "ArnEquals",
                                                                                                            Map.of(
                                                                                                                    "aws:PrincipalArn",
                                                                                                                    Map
                                                                                                                            .of(
                                                                                                                                    "Ref",
                                                                                                                                    "ControlPlaneReconcilerRoleArn")))),
                                                                                    Map.of("Ref", "AWS::NoValue"))),
                                                                    Map.of(
                                                                            "Fn::If",
                                                                            List.of(
                                                                                    "HasObservers",
                                                                                    Map.of(
                                                                                            "Sid", "TrustTheObservers",
                                                                                            "Effect", "Allow",
                                                                                            "Principal",
                                                                                                    Map.of(
                                                                                                            "AWS",
                                                                                                            Map.of(
                                                                                                                    "Ref",
                                                                                                                    "ObserverPrincipalArns")),
                                                                                            "Action", "sts:AssumeRole"),
                                                                                    Map.of("Ref", "AWS::NoValue"))))),
                                            // AND it may list the account's stacks (DescribeStacks without a name needs
                                            // "*"), and read
                                            // the events and resources of stackfleet-* stacks; nothing else
                                            "Policies",
                                                    List.of(
                                                            Map.of(
                                                                    "PolicyName",
                                                                    "read-stackfleet-stacks",
                                                                    "PolicyDocument",
                                                                    Map.of(
                                                                            "Version",
                                                                            "2012-10-17",
                                                                            "Statement",
                                                                            List.of(
                                                                                    Map.of(
                                                                                            "Sid",
                                                                                            "ListAccountStacks",
                                                                                            "Effect",
                                                                                            "Allow",
                                                                                            "Action",
                                                                                            "cloudformation:DescribeStacks",
                                                                                            "Resource",
                                                                                            "*"),
                                                                                    Map.of(
                                                                                            "Sid",
                                                                                            "ReadStackfleetStacks",
                                                                                            "Effect",
                                                                                            "Allow",
                                                                                            "Action",
                                                                                            List.of(
                                                                                                    "cloudformation:DescribeStackEvents",
                                                                                                    "cloudformation:DescribeStackResources"),
                                                                                            "Resource",
                                                                                            Map.of(
                                                                                                    "Fn::Sub",
                                                                                                    "arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:stack/stackfleet-*/*"))))))))));
            // AND the role exists when either is set
            template.hasCondition(
                    "TrustsReconciler",
                    Map.of(
                            "Fn::Not",
                            List.of(Map.of(
                                    "Fn::Equals", List.of(Map.of("Ref", "ControlPlaneReconcilerRoleArn"), "")))));
            template.hasCondition(
                    "HasObserverRole",
                    Map.of(
                            "Fn::Or",
                            List.of(
                                    Map.of(
                                            "Fn::Not",
                                            List.of(Map.of(
                                                    "Fn::Equals",
                                                    List.of(
                                                            Map.of(
                                                                    "Fn::Join",
                                                                    List.of(
                                                                            "",
                                                                            Map.of("Ref", "ObserverPrincipalArns"))),
                                                            "")))),
                                    Map.of(
                                            "Fn::Not",
                                            List.of(Map.of(
                                                    "Fn::Equals",
                                                    List.of(Map.of("Ref", "ControlPlaneReconcilerRoleArn"), "")))))));
            // AND the access role still trusts the workflow role alone
            template.hasResourceProperties(
                    "AWS::IAM::Role",
                    Map.of(
                            "RoleName",
                            "stackfleet-workload-access",
                            "AssumeRolePolicyDocument",
                            Map.of(
                                    "Statement",
                                    List.of(Match.objectLike(Map.of(
                                            "Principal",
                                            Map.of("AWS", Map.of("Ref", "ControlPlaneWorkflowRoleArn"))))))));
        }
    }

    @Test
    void withoutObserverPrincipalsTheObserverRoleTrustsTheReconcilerAlone() {
        // GIVEN an installation without observer principals
        Config config = new Config(
                "111111111111",
                "eu-west-1",
                List.of(Config.PoolEntry.open("222222222222")),
                10,
                5,
                60,
                8,
                Optional.empty(),
                50,
                100,
                Optional.empty(),
                List.of());

        // WHEN its workload access stack is synthesized
        Template template = Template.fromStack(StackfleetApp.build(new App(), config, ProjectFiles.locate())
                .workloadAccess()
                .getFirst());

        // THEN the principals stay empty, which leaves their trust statement out
        template.hasParameter("ObserverPrincipalArns", Map.of("Default", ""));
        template.hasCondition(
                "HasObservers",
                Map.of(
                        "Fn::Not",
                        List.of(Map.of(
                                "Fn::Equals",
                                List.of(
                                        Map.of("Fn::Join", List.of("", Map.of("Ref", "ObserverPrincipalArns"))),
                                        "")))));
        // AND the reconciler's role is still set, so the observer role exists, trusted by the reconciler
        template.hasParameter(
                "ControlPlaneReconcilerRoleArn",
                Map.of("Default", Match.stringLikeRegexp("arn:aws:iam::111111111111:role/stackfleet-control-plane.+")));
        template.hasResource(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "Condition",
                        "HasObserverRole",
                        "Properties",
                        Match.objectLike(Map.of("RoleName", "stackfleet-workload-observer")))));
    }

    /** The name CloudFormation gives a resource of the control plane, which must be a plain string. */
    private static String physicalName(software.constructs.IConstruct resource, String property) {
        Map<?, ?> properties = (Map<?, ?>) SynthesizedApp.get()
                .controlPlaneTemplate()
                .findResources(((software.amazon.awscdk.CfnResource) resource).getCfnResourceType())
                .get(SynthesizedApp.logicalId(resource))
                .get("Properties");
        Object name = properties.get(property);
        assertEquals(String.class, name.getClass(), property + " must be known at synthesis: " + name);
        return (String) name;
    }
}
