package dev.stackfleet.cdk;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.OwnerClaim;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The deployment settings of one stackfleet installation (one control plane in one region), read from
 * CDK context ({@code -c key=value} or {@code cdk.json}) and, when a key is absent there, from the
 * environment variable {@code STACKFLEET_<KEY_IN_UPPER_SNAKE>}. Every key is described in
 * {@code docs/deploy.md}; a missing or malformed required value fails synthesis with a message
 * naming the key.
 *
 * @param controlPlaneAccount account of the control plane stack (falls back to {@code CDK_DEFAULT_ACCOUNT})
 * @param region region of the control plane stack (falls back to {@code CDK_DEFAULT_REGION})
 * @param workloadAccounts accounts whose {@code stackfleet-workload-access} role the workflows may assume
 * @param placementAccount account new game servers land in; must be one of the workload accounts
 * @param placementRegion region new game servers land in
 * @param maxServersPerOwner quota of game servers per owner, enforced by the API
 * @param pollInitialSeconds first wait of the workflows' stack polling loop: the fallback timeout of the first wait
 *     for a stack's status change event
 * @param pollMaxSeconds cap of the workflows' growing polling interval (the fallback's longest timeout)
 * @param maxConcurrentStarts StartExecution calls the stream Lambda makes in parallel per batch
 * @param jwt issuer, audiences and owner claim of an external identity provider; empty: the stack creates a
 *     Cognito user pool, whose {@code sub} claim identifies owners
 * @param apiRateLimit steady-state requests per second of the API stage
 * @param apiBurstLimit burst of requests of the API stage
 * @param alarmTopicArn SNS topic the alarms notify; empty: alarms without actions
 * @param observerPrincipals IAM principals that may assume {@code stackfleet-workload-observer} in every
 *     workload account to read stackfleet's stacks (besides the reconciler, which always may)
 * @param reconcile when the scheduled reconciler runs and what it judges stuck or orphaned
 */
public record Config(
        String controlPlaneAccount,
        String region,
        List<String> workloadAccounts,
        String placementAccount,
        String placementRegion,
        int maxServersPerOwner,
        int pollInitialSeconds,
        int pollMaxSeconds,
        int maxConcurrentStarts,
        Optional<Jwt> jwt,
        int apiRateLimit,
        int apiBurstLimit,
        Optional<String> alarmTopicArn,
        List<String> observerPrincipals,
        Reconcile reconcile) {

    /**
     * An external OpenID Connect issuer whose tokens the API accepts, and the claim that identifies an owner
     * ({@code iss+sub} unless the {@code ownerClaim} setting names one the issuer never reassigns).
     */
    public record Jwt(String issuer, List<String> audience, OwnerClaim ownerClaim) {}

    /**
     * The scheduled reconcile pass (the reconciler Lambda's environment, see its {@code ReconcileSettings}).
     *
     * @param intervalMinutes minutes between two passes: the schedule's rate and the period of its alarms
     * @param stuckAfterSeconds how long a pending or in-progress server may stay unchanged with no running
     *     execution before a pass restarts its intent
     * @param orphanGraceSeconds how old a stackfleet stack without an item must be to count as an orphan
     * @param deleteOrphansAfterSeconds how old an orphan must be before a pass deletes it on its own; empty:
     *     orphans are only reported
     */
    public record Reconcile(
            int intervalMinutes, int stuckAfterSeconds, int orphanGraceSeconds, OptionalInt deleteOrphansAfterSeconds) {

        /** One day: the longest period a CloudWatch alarm evaluates, and a schedule that still reconciles daily. */
        static final int MAX_INTERVAL_MINUTES = 24 * 60;
        /** Shorter than a minute would restart intents that the stream is about to start anyway. */
        static final int MIN_STUCK_AFTER_SECONDS = 60;

        /** The defaults of docs/deploy.md. */
        public static final Reconcile DEFAULTS = new Reconcile(5, 600, 3600, OptionalInt.empty());

        public Reconcile {
            if (intervalMinutes < 1 || intervalMinutes > MAX_INTERVAL_MINUTES) {
                throw new IllegalArgumentException("reconcileIntervalMinutes must be between 1 and "
                        + MAX_INTERVAL_MINUTES + " (one day), got " + intervalMinutes);
            }
            if (stuckAfterSeconds < MIN_STUCK_AFTER_SECONDS) {
                throw new IllegalArgumentException("stuckAfterSeconds must be at least " + MIN_STUCK_AFTER_SECONDS
                        + ": a server counts as stuck only once its execution should long have started, got "
                        + stuckAfterSeconds);
            }
            requirePositive("orphanGraceSeconds", orphanGraceSeconds);
            Objects.requireNonNull(deleteOrphansAfterSeconds, "deleteOrphansAfterSeconds");
            if (deleteOrphansAfterSeconds.isPresent() && deleteOrphansAfterSeconds.getAsInt() < orphanGraceSeconds) {
                throw new IllegalArgumentException(
                        "deleteOrphansAfterSeconds (" + deleteOrphansAfterSeconds.getAsInt()
                                + ") must not be less than orphanGraceSeconds (" + orphanGraceSeconds
                                + "): a stack is an orphan "
                                + "only after the grace; leave deleteOrphansAfterSeconds unset to never delete orphans on its own");
            }
        }
    }

    /** Settings with the reconciler's defaults. */
    public Config(
            String controlPlaneAccount,
            String region,
            List<String> workloadAccounts,
            String placementAccount,
            String placementRegion,
            int maxServersPerOwner,
            int pollInitialSeconds,
            int pollMaxSeconds,
            int maxConcurrentStarts,
            Optional<Jwt> jwt,
            int apiRateLimit,
            int apiBurstLimit,
            Optional<String> alarmTopicArn,
            List<String> observerPrincipals) {
        this(
                controlPlaneAccount,
                region,
                workloadAccounts,
                placementAccount,
                placementRegion,
                maxServersPerOwner,
                pollInitialSeconds,
                pollMaxSeconds,
                maxConcurrentStarts,
                jwt,
                apiRateLimit,
                apiBurstLimit,
                alarmTopicArn,
                observerPrincipals,
                Reconcile.DEFAULTS);
    }

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    /** An account root, role or user ARN: what an IAM trust policy accepts as a principal here. */
    private static final Pattern IAM_PRINCIPAL_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:(root|(role|user)/[A-Za-z0-9+=,.@_/-]+)");

    public Config {
        requireAccount("controlPlaneAccount", controlPlaneAccount);
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must be an AWS region such as eu-west-1, got '" + region + "'");
        }
        if (workloadAccounts == null || workloadAccounts.isEmpty()) {
            throw new IllegalArgumentException("workloadAccounts needs at least one account id");
        }
        workloadAccounts = List.copyOf(workloadAccounts);
        workloadAccounts.forEach(account -> requireAccount("workloadAccounts", account));
        if (!workloadAccounts.contains(placementAccount)) {
            throw new IllegalArgumentException("placementAccount " + placementAccount
                    + " is not one of workloadAccounts " + workloadAccounts
                    + ": the workflows could not assume its role");
        }
        if (placementRegion == null || !REGION.matcher(placementRegion).matches()) {
            throw new IllegalArgumentException(
                    "placementRegion must be an AWS region such as eu-west-1, got '" + placementRegion + "'");
        }
        requirePositive("maxServersPerOwner", maxServersPerOwner);
        requirePositive("pollInitialSeconds", pollInitialSeconds);
        requirePositive("maxConcurrentStarts", maxConcurrentStarts);
        requirePositive("apiRateLimit", apiRateLimit);
        requirePositive("apiBurstLimit", apiBurstLimit);
        if (pollMaxSeconds < pollInitialSeconds) {
            throw new IllegalArgumentException("pollMaxSeconds (" + pollMaxSeconds
                    + ") must not be less than pollInitialSeconds (" + pollInitialSeconds + ")");
        }
        observerPrincipals = List.copyOf(observerPrincipals);
        observerPrincipals.forEach(Config::requirePrincipalArn);
        Objects.requireNonNull(reconcile, "reconcile");
    }

    /** Reads the settings from CDK context, then the environment, then the defaults. */
    public static Config from(Function<String, Object> context, Map<String, String> environment) {
        Settings settings = new Settings(context, environment);
        String region = settings.text("region")
                .or(() -> Optional.ofNullable(environment.get("CDK_DEFAULT_REGION")))
                .orElseThrow(() -> settings.missing("region", "the region of the control plane, e.g. eu-west-1"));
        String account = settings.text("controlPlaneAccount")
                .or(() -> Optional.ofNullable(environment.get("CDK_DEFAULT_ACCOUNT")))
                .orElseThrow(
                        () -> settings.missing("controlPlaneAccount", "the 12-digit account of the control plane"));
        List<String> workloadAccounts = settings.list("workloadAccounts");
        if (workloadAccounts.isEmpty()) {
            throw settings.missing("workloadAccounts", "the comma-separated accounts game servers may run in");
        }
        Optional<String> issuer = settings.text("jwtIssuer");
        List<String> audience = settings.list("jwtAudience");
        Optional<String> ownerClaim = settings.text("ownerClaim");
        if (ownerClaim.isPresent() && issuer.isEmpty()) {
            throw new IllegalArgumentException("ownerClaim applies to an external issuer (jwtIssuer); with the Cognito "
                    + "user pool the owner is always its sub claim");
        }
        if (issuer.isPresent() != !audience.isEmpty()) {
            throw new IllegalArgumentException("jwtIssuer and jwtAudience go together: set both to use an external "
                    + "identity provider, or neither to let the stack create a Cognito user pool");
        }
        return new Config(
                account,
                region,
                workloadAccounts,
                settings.text("placementAccount").orElse(workloadAccounts.getFirst()),
                settings.text("placementRegion").orElse(region),
                settings.integer("maxServersPerOwner", 10),
                settings.integer("pollInitialSeconds", ExecutionInput.Poll.DEFAULT_INITIAL_SECONDS),
                settings.integer("pollMaxSeconds", ExecutionInput.Poll.DEFAULT_MAX_SECONDS),
                settings.integer("maxConcurrentStarts", 8),
                issuer.map(value -> new Jwt(value, audience, ownerClaim(ownerClaim))),
                settings.integer("apiRateLimit", 50),
                settings.integer("apiBurstLimit", 100),
                settings.text("alarmTopicArn"),
                settings.list("observerPrincipals"),
                new Reconcile(
                        settings.integer("reconcileIntervalMinutes", Reconcile.DEFAULTS.intervalMinutes()),
                        settings.integer("stuckAfterSeconds", Reconcile.DEFAULTS.stuckAfterSeconds()),
                        settings.integer("orphanGraceSeconds", Reconcile.DEFAULTS.orphanGraceSeconds()),
                        settings.optionalInteger("deleteOrphansAfterSeconds")));
    }

    /** Which claims identify a game server's owner, for the API's {@code OWNER_CLAIM}. */
    public OwnerClaim ownerClaim() {
        return jwt.map(Jwt::ownerClaim).orElse(OwnerClaim.SUBJECT);
    }

    private static OwnerClaim ownerClaim(Optional<String> setting) {
        try {
            return setting.map(OwnerClaim::new).orElse(OwnerClaim.ISSUER_AND_SUBJECT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ownerClaim: " + e.getMessage(), e);
        }
    }

    private static void requireAccount(String key, String value) {
        if (value == null || !ACCOUNT_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(key + " must hold 12-digit AWS account ids, got '" + value + "'");
        }
    }

    private static void requirePrincipalArn(String value) {
        if (!IAM_PRINCIPAL_ARN.matcher(value).matches()) {
            throw new IllegalArgumentException("observerPrincipals must hold IAM ARNs such as "
                    + "arn:aws:iam::111111111111:role/operators or arn:aws:iam::111111111111:root, got '" + value
                    + "'");
        }
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be a positive number, got " + value);
        }
    }

    /** One lookup order for every key: context, then {@code STACKFLEET_<KEY>} from the environment. */
    private record Settings(Function<String, Object> context, Map<String, String> environment) {

        Optional<Object> raw(String key) {
            Object value = context.apply(key);
            if (value == null) {
                value = environment.get(environmentName(key));
            }
            if (value instanceof String text && text.isBlank()) {
                return Optional.empty();
            }
            return Optional.ofNullable(value);
        }

        Optional<String> text(String key) {
            return raw(key).map(value -> value.toString().trim());
        }

        List<String> list(String key) {
            return raw(key).map(value -> {
                        List<String> items = new ArrayList<>();
                        if (value instanceof List<?> values) {
                            values.forEach(
                                    item -> items.add(String.valueOf(item).trim()));
                        } else {
                            Arrays.stream(value.toString().split(","))
                                    .map(String::trim)
                                    .filter(s -> !s.isEmpty())
                                    .forEach(items::add);
                        }
                        return items;
                    })
                    .orElse(List.of());
        }

        int integer(String key, int defaultValue) {
            OptionalInt value = optionalInteger(key);
            return value.isPresent() ? value.getAsInt() : defaultValue;
        }

        OptionalInt optionalInteger(String key) {
            Optional<String> text = text(key);
            try {
                return text.map(value -> OptionalInt.of(Integer.parseInt(value)))
                        .orElse(OptionalInt.empty());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, got '" + text.get() + "'", e);
            }
        }

        IllegalArgumentException missing(String key, String meaning) {
            return new IllegalArgumentException("missing setting " + key + " (" + meaning + "): pass -c " + key
                    + "=... to cdk, set it in cdk/cdk.json, or export " + environmentName(key)
                    + "; see docs/deploy.md");
        }

        static String environmentName(String key) {
            return "STACKFLEET_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        }
    }
}
