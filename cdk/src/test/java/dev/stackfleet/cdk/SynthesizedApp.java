package dev.stackfleet.cdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.constructs.IConstruct;

/**
 * The stackfleet app synthesized once per test run (synthesis takes seconds): every test class reads
 * the same assembly, written to {@code target/cdk-test.out} for cfn-lint.
 */
final class SynthesizedApp {

    static final String CONTROL_PLANE_ACCOUNT = "111111111111";
    static final String REGION = "eu-west-1";
    static final List<String> WORKLOAD_ACCOUNTS = List.of("222222222222", "333333333333");

    static final List<String> OBSERVER_PRINCIPALS =
            List.of("arn:aws:iam::111111111111:role/stackfleet-operators", "arn:aws:iam::444444444444:root");

    static final Config CONFIG = new Config(
            CONTROL_PLANE_ACCOUNT,
            REGION,
            WORKLOAD_ACCOUNTS.stream().map(Config.PoolEntry::open).toList(),
            7,
            5,
            60,
            8,
            Optional.empty(),
            40,
            80,
            Optional.empty(),
            OBSERVER_PRINCIPALS);

    private static SynthesizedApp instance;

    final Path outdir;
    final App app;
    final StackfleetApp.Stacks stacks;
    final CloudAssembly assembly;

    private SynthesizedApp() {
        outdir = Path.of("target", "cdk-test.out").toAbsolutePath();
        app = new App(AppProps.builder()
                .outdir(outdir.toString())
                .context(featureFlags())
                .build());
        stacks = StackfleetApp.build(app, CONFIG, ProjectFiles.locate());
        assembly = app.synth();
    }

    /**
     * The stacks of another installation, synthesized with the same feature flags (into a temporary folder, not
     * the one cfn-lint reads): for what depends on the settings.
     */
    static StackfleetApp.Stacks synthesize(Config config) {
        App other = new App(AppProps.builder().context(featureFlags()).build());
        StackfleetApp.Stacks stacks = StackfleetApp.build(other, config, ProjectFiles.locate());
        other.synth();
        return stacks;
    }

    /** The feature flags of cdk.json (keys starting with {@code @}), so that tests see what a deploy sees. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> featureFlags() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper()
                    .readValue(
                            ProjectFiles.locate().root().resolve("cdk/cdk.json").toFile(), Map.class);
            Map<String, Object> flags = new TreeMap<>((Map<String, Object>) cdkJson.get("context"));
            flags.keySet().removeIf(key -> !key.startsWith("@"));
            return flags;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cdk/cdk.json", e);
        }
    }

    static synchronized SynthesizedApp get() {
        if (instance == null) {
            instance = new SynthesizedApp();
        }
        return instance;
    }

    ControlPlaneStack controlPlane() {
        return stacks.controlPlane();
    }

    Template controlPlaneTemplate() {
        return Template.fromStack(stacks.controlPlane());
    }

    List<Template> allTemplates() {
        List<Template> templates = new ArrayList<>();
        templates.add(controlPlaneTemplate());
        stacks.workloadAccess().forEach(stack -> templates.add(Template.fromStack(stack)));
        return templates;
    }

    /** The logical id of a construct's CloudFormation resource. */
    static String logicalId(IConstruct construct) {
        IConstruct resource = construct instanceof CfnElement
                ? construct
                : (IConstruct) construct.getNode().getDefaultChild();
        return Stack.of(construct)
                .resolve(((CfnElement) resource).getLogicalId())
                .toString();
    }

    /** Every policy statement attached to a role through AWS::IAM::Policy resources. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statementsOf(Template template, String roleLogicalId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().forEach(resource -> {
            Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
            List<Object> roles = (List<Object>) properties.get("Roles");
            if (roles.contains(Map.of("Ref", roleLogicalId))) {
                Map<String, Object> document = (Map<String, Object>) properties.get("PolicyDocument");
                statements.addAll((List<Map<String, Object>>) document.get("Statement"));
            }
        });
        return statements;
    }

    /** A statement's Action or Resource as a list. */
    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of(value);
    }
}
