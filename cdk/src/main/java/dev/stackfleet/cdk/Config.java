package dev.stackfleet.cdk;

import dev.stackfleet.core.ExecutionInput;
import dev.stackfleet.core.OwnerClaim;
import dev.stackfleet.core.PoolAccount;
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
 * @param accountPool the workload accounts of the control plane's region, where game servers run: the workflows
 *     may assume {@code stackfleet-workload-access} in these and no others, and a create places a server in the
 *     open one with the most headroom
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
        List<PoolEntry> accountPool,
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
     * One workload account of the pool, as {@code workloadAccounts} lists it: {@code ACCOUNT[:CAPACITY[:STATE]]}.
     *
     * @param account the 12-digit account id
     * @param capacity the most servers it holds; default {@value #DEFAULT_CAPACITY}, CloudFormation's default stack
     *     quota per account and region
     * @param state {@code open} (takes new servers) or {@code draining} (keeps its servers, takes no new ones)
     */
    public record PoolEntry(String account, int capacity, PoolAccount.State state) {

        public static final int DEFAULT_CAPACITY = 2000;
        /** The account's item holds its servers' ids (23 bytes each) within DynamoDB's 400 KB. */
        public static final int MAX_CAPACITY = 10_000;

        public PoolEntry {
            requireAccount("workloadAccounts", account);
            if (capacity < 1 || capacity > MAX_CAPACITY) {
                throw new IllegalArgumentException("workloadAccounts: the capacity of " + account
                        + " must be between 1 and " + MAX_CAPACITY + " servers, got " + capacity);
            }
            Objects.requireNonNull(state, "state");
        }

        /** An open account with the default capacity. */
        public static PoolEntry open(String account) {
            return new PoolEntry(account, DEFAULT_CAPACITY, PoolAccount.State.OPEN);
        }

        /** Reads {@code ACCOUNT[:CAPACITY[:STATE]]}. */
        static PoolEntry parse(String entry) {
            String[] parts = entry.split(":", -1);
            if (parts.length > 3) {
                throw new IllegalArgumentException(
                        "workloadAccounts entries are ACCOUNT[:CAPACITY[:STATE]], got '" + entry + "'");
            }
            int capacity = DEFAULT_CAPACITY;
            if (parts.length > 1) {
                try {
                    capacity = Integer.parseInt(parts[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "workloadAccounts: the capacity in '" + entry + "' must be a whole number", e);
                }
            }
            PoolAccount.State state;
            try {
                state = parts.length > 2 ? PoolAccount.State.of(parts[2].trim()) : PoolAccount.State.OPEN;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("workloadAccounts: in '" + entry + "', " + e.getMessage(), e);
            }
            return new PoolEntry(parts[0].trim(), capacity, state);
        }
    }

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
            List<PoolEntry> accountPool,
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
                accountPool,
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
        if (accountPool == null || accountPool.isEmpty()) {
            throw new IllegalArgumentException("workloadAccounts needs at least one account id");
        }
        accountPool = List.copyOf(accountPool);
        if (accountPool.stream().map(PoolEntry::account).distinct().count() != accountPool.size()) {
            throw new IllegalArgumentException("workloadAccounts lists an account twice: " + accountPool);
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
        List<PoolEntry> accountPool =
                settings.list("workloadAccounts").stream().map(PoolEntry::parse).toList();
        if (accountPool.isEmpty()) {
            throw settings.missing(
                    "workloadAccounts",
                    "the comma-separated accounts game servers may run in, ACCOUNT[:CAPACITY[:STATE]]");
        }
        if (settings.text("placementAccount").isPresent()) {
            throw new IllegalArgumentException("placementAccount is no longer a setting: every open account of "
                    + "workloadAccounts takes new servers, the one with the most headroom first; close an account "
                    + "to new servers with ACCOUNT:CAPACITY:draining (see docs/operating.md)");
        }
        Optional<String> placementRegion = settings.text("placementRegion");
        if (placementRegion.isPresent() && !placementRegion.get().equals(region)) {
            throw new IllegalArgumentException("placementRegion " + placementRegion.get()
                    + " differs from the control plane's region " + region + ": the workflows' aws-sdk tasks call "
                    + "CloudFormation in their own region, so game servers run in " + region
                    + "; deploy a control plane in " + placementRegion.get() + " for servers there");
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
                accountPool,
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

    /** The pool's accounts: where the workflows may assume the access role, in settings order. */
    public List<String> workloadAccounts() {
        return accountPool.stream().map(PoolEntry::account).toList();
    }

    /** Where game servers run: the control plane's own region, where its workflows call CloudFormation. */
    public String placementRegion() {
        return region;
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
