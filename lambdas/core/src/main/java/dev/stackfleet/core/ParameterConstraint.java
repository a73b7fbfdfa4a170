package dev.stackfleet.core;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The constraints one CloudFormation template parameter declares, as the template states them:
 * {@code Type}, {@code AllowedValues}, {@code AllowedPattern}, {@code MinLength}/{@code MaxLength},
 * {@code MinValue}/{@code MaxValue}. Absent constraints are null (or an empty list).
 *
 * @param name the parameter name, e.g. {@code PlayerCount}
 * @param type {@code String} or {@code Number}
 * @param allowedValues the only accepted values, or empty
 * @param allowedPattern a regular expression the whole value must match, or null
 * @param minLength minimum string length, or null
 * @param maxLength maximum string length, or null
 * @param minValue minimum number, or null
 * @param maxValue maximum number, or null
 * @param constraintDescription the template's own words for the rule, or null
 */
public record ParameterConstraint(
        String name,
        String type,
        List<String> allowedValues,
        Pattern allowedPattern,
        Integer minLength,
        Integer maxLength,
        BigDecimal minValue,
        BigDecimal maxValue,
        String constraintDescription) {

    public ParameterConstraint {
        allowedValues = List.copyOf(allowedValues);
    }

    /** Whether another declaration accepts exactly the values this one does (its description aside). */
    public boolean sameRule(ParameterConstraint other) {
        return name.equals(other.name)
                && type.equals(other.type)
                && allowedValues.equals(other.allowedValues)
                && Objects.equals(pattern(allowedPattern), pattern(other.allowedPattern))
                && Objects.equals(minLength, other.minLength)
                && Objects.equals(maxLength, other.maxLength)
                && compare(minValue, other.minValue)
                && compare(maxValue, other.maxValue);
    }

    private static String pattern(Pattern pattern) {
        return pattern == null ? null : pattern.pattern();
    }

    private static boolean compare(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /** Whether the template declares this parameter as a number. */
    public boolean isNumber() {
        return "Number".equals(type);
    }

    /**
     * Checks a value as CloudFormation would, returning what is wrong with it, or null when it is accepted.
     *
     * @param value the value as CloudFormation receives it (a string; numbers in decimal form)
     */
    public String violation(String value) {
        if (!allowedValues.isEmpty() && !allowedValues.contains(value)) {
            return "must be one of " + String.join(", ", allowedValues);
        }
        if (isNumber()) {
            BigDecimal number;
            try {
                number = new BigDecimal(value);
            } catch (NumberFormatException e) {
                return "must be a number";
            }
            if ((minValue != null && number.compareTo(minValue) < 0)
                    || (maxValue != null && number.compareTo(maxValue) > 0)) {
                return "must be between " + bound(minValue) + " and " + bound(maxValue);
            }
            return null;
        }
        if ((minLength != null && value.length() < minLength) || (maxLength != null && value.length() > maxLength)) {
            return "must be " + bound(minLength) + " to " + bound(maxLength) + " characters long";
        }
        if (allowedPattern != null && !allowedPattern.matcher(value).matches()) {
            return constraintDescription != null
                    ? "must match " + allowedPattern.pattern() + " (" + constraintDescription + ")"
                    : "must match " + allowedPattern.pattern();
        }
        return null;
    }

    private static String bound(Object bound) {
        return bound == null
                ? "any"
                : (bound instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : bound.toString());
    }
}
