package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/** Every {@code ${...}} placeholder of each ASL file is substituted, and every substitution is used. */
class WorkflowDefinitionsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    @ParameterizedTest
    @ValueSource(strings = {ProjectFiles.PROVISION_ASL, ProjectFiles.DEPROVISION_ASL, ProjectFiles.ROLLOUT_ASL})
    void placeholdersAndSubstitutionsMatch(String aslFile) throws IOException {
        // GIVEN the placeholders of the ASL file as statemachines/ holds it
        String definition = Files.readString(Path.of(ProjectFiles.locate().require(aslFile)));
        Set<String> placeholders = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        assertFalse(placeholders.isEmpty(), aslFile + " has no placeholders: is it the right file?");

        // WHEN the app deploys it
        SynthesizedApp synthesized = SynthesizedApp.get();
        Workflows workflows = synthesized.controlPlane().workflows();
        RolloutWorkflow rollout = synthesized.controlPlane().rollout();
        boolean provision = aslFile.equals(ProjectFiles.PROVISION_ASL);
        boolean rolls = aslFile.equals(ProjectFiles.ROLLOUT_ASL);
        String logicalId = SynthesizedApp.logicalId(
                rolls ? rollout.stateMachine() : provision ? workflows.provision() : workflows.deprovision());
        Template template = synthesized.controlPlaneTemplate();
        Map<?, ?> properties = (Map<?, ?>) template.findResources("AWS::StepFunctions::StateMachine")
                .get(logicalId)
                .get("Properties");
        Map<?, ?> substitutions = (Map<?, ?>) properties.get("DefinitionSubstitutions");

        // THEN each placeholder has a value and each value has a placeholder
        assertEquals(
                placeholders,
                new TreeSet<>(
                        substitutions.keySet().stream().map(Object::toString).toList()),
                aslFile);
        assertEquals(
                placeholders,
                new TreeSet<>((rolls
                                ? rollout.substitutions()
                                : provision ? workflows.provisionSubstitutions() : workflows.deprovisionSubstitutions())
                        .keySet()));
        assertTrue(properties.containsKey("DefinitionS3Location"), "the definition is the file itself, as an asset");
        if (substitutions.containsKey("CloudFormationExecutionRoleName")) {
            assertEquals("stackfleet-cloudformation-execution", substitutions.get("CloudFormationExecutionRoleName"));
        }
        if (substitutions.containsKey("TableName")) {
            assertEquals(
                    Map.of(
                            "Ref",
                            SynthesizedApp.logicalId(
                                    synthesized.controlPlane().table().table())),
                    substitutions.get("TableName"));
        }
        if (!rolls) {
            assertEquals(
                    Map.of(
                            "Ref",
                            SynthesizedApp.logicalId(
                                    synthesized.controlPlane().stackWaits().table())),
                    substitutions.get("StackWaitsTableName"),
                    "every wait for a stack event stores its token in the stack-waits table");
        }
        if (substitutions.containsKey("ReleasesTableName")) {
            assertEquals(
                    Map.of(
                            "Ref",
                            SynthesizedApp.logicalId(
                                    synthesized.controlPlane().releases().table())),
                    substitutions.get("ReleasesTableName"));
        }
        if (substitutions.containsKey("QuotaTableName")) {
            assertEquals(
                    Map.of(
                            "Ref",
                            SynthesizedApp.logicalId(
                                    synthesized.controlPlane().quotaTable().table())),
                    substitutions.get("QuotaTableName"));
        }
        if (substitutions.containsKey("GameServerTemplateUrlPrefix")) {
            assertTrue(
                    Json.tree(substitutions.get("GameServerTemplateUrlPrefix"))
                            .toString()
                            .contains("/templates/"),
                    "the releases' URLs point into the template bucket's releases folder");
        }
    }
}
