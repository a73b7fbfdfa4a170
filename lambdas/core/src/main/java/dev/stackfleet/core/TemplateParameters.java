package dev.stackfleet.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The parameter constraints of a CloudFormation template, taken from the template itself so that the API accepts
 * exactly what CloudFormation would (invariant 7 of the design).
 *
 * <p>The build reads {@code templates/game-server.yaml} and writes its constraints into the jar as
 * {@value #GAME_SERVER_PARAMETERS} (see {@code TemplateParametersGenerator} in the tests), so a Lambda's init reads
 * a few properties instead of parsing YAML. The file holds, per parameter {@code P}: {@code P.Type},
 * {@code P.AllowedValues.0}, {@code P.AllowedValues.1}, ..., {@code P.AllowedPattern}, {@code P.MinLength},
 * {@code P.MaxLength}, {@code P.MinValue}, {@code P.MaxValue}, {@code P.ConstraintDescription}, each only when the
 * template declares it.
 */
public final class TemplateParameters {

    /** The game-server template's constraints, generated at build time from {@code templates/game-server.yaml}. */
    public static final String GAME_SERVER_PARAMETERS = "/templates/game-server.parameters.properties";

    static final String TYPE = "Type";
    static final String ALLOWED_VALUES = "AllowedValues";
    static final String ALLOWED_PATTERN = "AllowedPattern";
    static final String MIN_LENGTH = "MinLength";
    static final String MAX_LENGTH = "MaxLength";
    static final String MIN_VALUE = "MinValue";
    static final String MAX_VALUE = "MaxValue";
    static final String CONSTRAINT_DESCRIPTION = "ConstraintDescription";

    private final Map<String, ParameterConstraint> constraints;

    TemplateParameters(Map<String, ParameterConstraint> constraints) {
        this.constraints = Map.copyOf(constraints);
    }

    /** The game-server template's constraints, from the classpath. */
    public static TemplateParameters gameServer() {
        try (InputStream in = TemplateParameters.class.getResourceAsStream(GAME_SERVER_PARAMETERS)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + GAME_SERVER_PARAMETERS
                        + " on the classpath; the build generates it from templates/game-server.yaml");
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return fromProperties(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads constraints written in the form described above. */
    static TemplateParameters fromProperties(Properties properties) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            names.add(key.substring(0, key.indexOf('.')));
        }
        Map<String, ParameterConstraint> constraints = new LinkedHashMap<>();
        for (String name : names) {
            List<String> allowed = new ArrayList<>();
            for (int i = 0; properties.containsKey(name + "." + ALLOWED_VALUES + "." + i); i++) {
                allowed.add(properties.getProperty(name + "." + ALLOWED_VALUES + "." + i));
            }
            String pattern = properties.getProperty(name + "." + ALLOWED_PATTERN);
            constraints.put(
                    name,
                    new ParameterConstraint(
                            name,
                            properties.getProperty(name + "." + TYPE, "String"),
                            allowed,
                            pattern == null ? null : Pattern.compile(pattern),
                            integer(properties.getProperty(name + "." + MIN_LENGTH)),
                            integer(properties.getProperty(name + "." + MAX_LENGTH)),
                            decimal(properties.getProperty(name + "." + MIN_VALUE)),
                            decimal(properties.getProperty(name + "." + MAX_VALUE)),
                            properties.getProperty(name + "." + CONSTRAINT_DESCRIPTION)));
        }
        return new TemplateParameters(constraints);
    }

    /** The constraints of one parameter, if the template declares it. */
    public Optional<ParameterConstraint> get(String parameterName) {
        return Optional.ofNullable(constraints.get(parameterName));
    }

    /** The names of the declared parameters. */
    public Set<String> names() {
        return constraints.keySet();
    }

    /** Every declared parameter's constraints, by name. */
    Map<String, ParameterConstraint> all() {
        return constraints;
    }

    private static Integer integer(String value) {
        return value == null ? null : Integer.valueOf(value);
    }

    private static BigDecimal decimal(String value) {
        return value == null ? null : new BigDecimal(value);
    }
}
