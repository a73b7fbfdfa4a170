package dev.stackfleet.ops;

import dev.stackfleet.core.ConfigValidator;
import dev.stackfleet.core.ParameterConstraint;
import dev.stackfleet.core.TemplateParameters;
import dev.stackfleet.core.TemplateParametersYaml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What a template must pass before it becomes a release: cfn-lint, and the contract with the control plane. The
 * player-facing parameters must declare exactly the rules the deployed API validates players' config with (the API
 * derived them from {@code templates/game-server.yaml} when it was built), every other parameter needs a
 * {@code Default} (the provision workflow passes only its five), and the outputs provision reads must exist.
 */
final class ReleaseCheck {

    /** A finding in cfn-lint's parseable format. */
    private static final Pattern PARSEABLE =
            Pattern.compile("^.*:(?<line>\\d+):(?<column>\\d+):\\d+:\\d+:(?<rule>[A-Z]\\d+):(?<message>.*)$");

    /** The stack parameters the provision workflow passes besides the config (statemachines/provision.asl.json). */
    private static final List<String> IDENTITY_PARAMETERS = List.of("GameServerId", "Owner");
    /** The outputs provision records as where players connect. */
    private static final List<String> CONNECT_OUTPUTS = List.of("ConnectAddress", "ConnectPort", "ConnectProtocol");

    private final String cfnLint;
    private final TemplateParameters apiRules;

    /**
     * @param cfnLint the cfn-lint executable
     * @param apiRules the parameter rules the API validates players' config with
     */
    ReleaseCheck(String cfnLint, TemplateParameters apiRules) {
        this.cfnLint = cfnLint;
        this.apiRules = apiRules;
    }

    /** What is wrong with the template, each in words that say what to fix; empty when it may be released. */
    List<String> problems(Path file, String template) {
        List<String> problems = new ArrayList<>(lint(file));
        TemplateParametersYaml.Declared declared;
        try {
            declared = TemplateParametersYaml.read(new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8)));
        } catch (YAMLException | ClassCastException e) {
            problems.add("the template is not a CloudFormation template in YAML or JSON: " + e.getMessage());
            return problems;
        }
        Set<String> passed = new TreeSet<>(IDENTITY_PARAMETERS);
        for (ConfigValidator.Key key : ConfigValidator.Key.values()) {
            passed.add(key.parameter());
            Optional<ParameterConstraint> rule = declared.constraints().get(key.parameter());
            ParameterConstraint api = apiRules.get(key.parameter()).orElseThrow();
            if (rule.isEmpty()) {
                problems.add("parameter " + key.parameter() + " is missing: the provision workflow passes the"
                        + " player's " + key.field() + " to it");
            } else if (!rule.get().sameRule(api)) {
                problems.add("parameter " + key.parameter() + " declares other constraints than the API validates"
                        + " players' " + key.field() + " with (" + describe(rule.get()) + " instead of "
                        + describe(api) + "): change them in templates/game-server.yaml and deploy the API first");
            }
        }
        for (String name : declared.constraints().names()) {
            if (!passed.contains(name) && !declared.defaulted().contains(name)) {
                problems.add("parameter " + name + " has no Default: the provision workflow passes only "
                        + String.join(", ", passed) + ", so CloudFormation would refuse every create and update");
            }
        }
        for (String output : CONNECT_OUTPUTS) {
            if (!declared.outputs().contains(output)) {
                problems.add("output " + output + " is missing: provision records it as where players connect");
            }
        }
        return problems;
    }

    private List<String> lint(Path file) {
        Process process;
        try {
            process = new ProcessBuilder(cfnLint, "--format", "parseable", "--", file.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new OpsException(
                    "cannot run cfn-lint (" + cfnLint + "): " + e.getMessage()
                            + "\n  install it (pip install cfn-lint; ./stackfleet test puts one in .venv) or pass --cfn-lint PATH");
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new OpsException("cfn-lint did not finish within 120 s");
            }
            // cfn-lint's exit status is a bit mask: 2 errors, 4 warnings, 8 informational findings.
            if ((process.exitValue() & 6) != 0) {
                return output.lines()
                        .filter(line -> !line.isBlank())
                        .map(ReleaseCheck::finding)
                        .toList();
            }
            return List.of();
        } catch (IOException e) {
            throw new OpsException("cannot read cfn-lint's findings: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while cfn-lint ran");
        }
    }

    /**
     * One finding of cfn-lint's parseable format ({@code file:line:column:end line:end column:rule:message}) as
     * {@code cfn-lint: <rule> <message> (line L, column C)}; any other line as it is.
     */
    static String finding(String line) {
        Matcher m = PARSEABLE.matcher(line.strip());
        return m.matches()
                ? "cfn-lint: " + m.group("rule") + " " + m.group("message") + " (line " + m.group("line") + ", column "
                        + m.group("column") + ")"
                : "cfn-lint: " + line.strip();
    }

    private static String describe(ParameterConstraint c) {
        List<String> parts = new ArrayList<>(List.of("Type " + c.type()));
        if (!c.allowedValues().isEmpty()) {
            parts.add("AllowedValues " + c.allowedValues());
        }
        if (c.allowedPattern() != null) {
            parts.add("AllowedPattern " + c.allowedPattern().pattern());
        }
        if (c.minLength() != null || c.maxLength() != null) {
            parts.add("length " + c.minLength() + ".." + c.maxLength());
        }
        if (c.minValue() != null || c.maxValue() != null) {
            parts.add("value " + c.minValue() + ".." + c.maxValue());
        }
        return String.join(", ", parts);
    }
}
