package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/** cdk-nag's AWS Solutions rules pass on every stack, and every suppression says why. */
class NagTest {

    @Test
    void noUnsuppressedAwsSolutionsFindings() {
        SynthesizedApp synthesized = SynthesizedApp.get();
        List<Stack> stacks = new ArrayList<>();
        stacks.add(synthesized.controlPlane());
        stacks.addAll(synthesized.stacks.workloadAccess());
        for (Stack stack : stacks) {
            Annotations annotations = Annotations.fromStack(stack);
            List<?> errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            assertEquals(List.of(), errors, stack.getStackName() + " has cdk-nag errors");
            List<?> warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            assertEquals(List.of(), warnings, stack.getStackName() + " has cdk-nag warnings");
        }
    }

    @Test
    void theChecksRanAndEverySuppressionHasAReason() {
        SynthesizedApp synthesized = SynthesizedApp.get();
        // The report cdk-nag writes proves that the rules ran at all.
        assertTrue(
                synthesized
                        .outdir
                        .resolve("AwsSolutions-stackfleet-control-plane-NagReport.csv")
                        .toFile()
                        .isFile(),
                "cdk-nag report missing: AwsSolutionsChecks did not run");
        int suppressions = 0;
        for (CloudFormationStackArtifact artifact : synthesized.assembly.getStacks()) {
            for (Object nag : Json.findAll(artifact.getTemplate(), "rules_to_suppress")) {
                for (Object rule : (List<?>) nag) {
                    Map<?, ?> suppression = (Map<?, ?>) rule;
                    String reason = String.valueOf(suppression.get("reason"));
                    assertFalse(
                            reason.isBlank() || "null".equals(reason), "suppression without reason: " + suppression);
                    assertTrue(reason.length() >= 40, "reason too thin to review: " + suppression);
                    suppressions++;
                }
            }
        }
        assertTrue(suppressions > 0, "no suppressions found: were they moved out of the template metadata?");
    }
}
