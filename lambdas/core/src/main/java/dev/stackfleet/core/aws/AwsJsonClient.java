package dev.stackfleet.core.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Calls one AWS service over the AWS JSON protocol with the SDK's model classes and exceptions but without the SDK's
 * client runtime: the request is written from its model object ({@link JsonProtocol}), signed ({@link SigV4}) and
 * posted with the JDK's {@code HttpURLConnection}; the reply is read into the operation's response builder, or into
 * the modelled exception its error code names ({@code ConditionalCheckFailedException}, {@code
 * ExecutionAlreadyExistsException}, ...), with the error code, status and message an SDK client would give it.
 *
 * <p>Why: a Lambda's first call through an SDK client loads some 1,700 classes (client builders, endpoint rules,
 * interceptors, the HTTP pipeline) and takes most of a cold start; this path loads a few hundred. It retries as the
 * SDK client it replaces did by default ({@link Retries}): on an I/O failure, a 500, 502, 503 or 504, a throttling
 * error or a transient error code, with full-jitter exponential backoff. A reply whose {@code x-amz-crc32} does not
 * match, or that cannot be read, is a {@link SdkClientException} and is not retried, as with the SDK.
 */
public final class AwsJsonClient {

    /** The error codes the SDK retries besides throttling ({@code AwsErrorCode.RETRYABLE_ERROR_CODES}). */
    private static final Set<String> TRANSIENT_ERROR_CODES =
            Set.of("RequestTimeout", "RequestTimeoutException", "InternalError", "PriorRequestNotComplete");

    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(500, 502, 503, 504);
    private static final Duration THROTTLED_BASE_DELAY = Duration.ofMillis(500);
    private static final Duration MAX_DELAY = Duration.ofSeconds(20);

    private final Service service;
    private final URI endpoint;
    private final SigV4 signer;
    private final AwsCredentialsProvider credentials;
    private final Timeouts timeouts;
    private final Clock clock;
    private final Pause pause;

    /**
     * What differs between the services this client speaks to.
     *
     * @param signingName the name requests are signed for ({@code dynamodb}, {@code states}, {@code sqs})
     * @param endpointPrefix the first label of the service's regional host name
     * @param serviceName the SDK's name of the service ({@code DynamoDb}, {@code Sfn}, {@code Sqs}): in error messages
     *     and, in capitals, in {@code AWS_ENDPOINT_URL_<NAME>}
     * @param targetPrefix what {@code X-Amz-Target} puts before the operation ({@code DynamoDB_20120810})
     * @param jsonVersion {@code 1.0} or {@code 1.1}
     * @param modelPackage the package of the service's model classes, where its exceptions are looked up
     * @param serviceException the builder of the service's base exception, for error codes without a class
     * @param retries how the SDK client of the service retried
     */
    public record Service(
            String signingName,
            String endpointPrefix,
            String serviceName,
            String targetPrefix,
            String jsonVersion,
            String modelPackage,
            Supplier<AwsServiceException.Builder> serviceException,
            Retries retries) {}

    /**
     * How many attempts a call gets and the delay the backoff starts from (doubling, full jitter, at most 20 s; after
     * throttling it starts from 500 ms).
     */
    public record Retries(int maxAttempts, Duration baseDelay) {

        /** The SDK's DynamoDB client's own policy: 9 attempts from 25 ms. */
        public static final Retries DYNAMODB = new Retries(9, Duration.ofMillis(25));

        /** The SDK's default for the other services (its legacy mode): 4 attempts from 100 ms. */
        public static final Retries SDK_DEFAULT = new Retries(4, Duration.ofMillis(100));
    }

    /** How long to wait for a connection and for a reply. */
    public record Timeouts(Duration connect, Duration read) {

        /** The SDK's URL-connection client's defaults. */
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));

        /** For the stream and the reconciler, whose callers retry the whole record or pass: fail fast. */
        public static final Timeouts FAIL_FAST = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /** Waits before a retry; a test's records the delays instead. */
    interface Pause {
        void millis(long millis) throws InterruptedException;
    }

    AwsJsonClient(
            Service service,
            URI endpoint,
            String region,
            AwsCredentialsProvider credentials,
            Timeouts timeouts,
            Clock clock,
            Pause pause) {
        this.service = service;
        this.endpoint = endpoint;
        this.signer = new SigV4(service.signingName(), region);
        this.credentials = credentials;
        this.timeouts = timeouts;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * A client for the service in {@code region}, at the endpoint the environment names as the SDK reads it
     * ({@code AWS_ENDPOINT_URL_<SERVICE>}, then {@code AWS_ENDPOINT_URL}), else at the service's regional
     * endpoint.
     */
    public static AwsJsonClient create(
            Service service,
            String region,
            AwsCredentialsProvider credentials,
            Timeouts timeouts,
            Function<String, String> env) {
        return new AwsJsonClient(
                service,
                endpoint(service, region, env),
                region,
                credentials,
                timeouts,
                Clock.systemUTC(),
                Thread::sleep);
    }

    static URI endpoint(Service service, String region, Function<String, String> env) {
        String serviceVariable = "AWS_ENDPOINT_URL_" + service.serviceName().toUpperCase(Locale.ROOT);
        for (String name : new String[] {serviceVariable, "AWS_ENDPOINT_URL"}) {
            String configured = env.apply(name);
            if (configured != null && !configured.isBlank()) {
                return URI.create(configured.strip());
            }
        }
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://" + service.endpointPrefix() + "." + region + "." + suffix);
    }

    /** The endpoint requests go to. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Calls {@code operation} with {@code request} and returns its reply, built with {@code response} (a fresh
     * builder of the operation's response).
     *
     * @throws AwsServiceException the modelled exception of the service's error, after the retries it allows
     * @throws SdkClientException when the service could not be reached or its reply could not be read
     */
    public <T, B extends SdkPojo & SdkBuilder<B, T>> T call(String operation, SdkPojo request, B response) {
        String target = service.targetPrefix() + "." + operation;
        // written once: a generated idempotency token stays the same on every attempt
        byte[] body = JsonProtocol.write(request);
        Map<String, String> headers =
                Map.of("Content-Type", "application/x-amz-json-" + service.jsonVersion(), "X-Amz-Target", target);
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            boolean throttled = false;
            try {
                Reply reply = post(headers, body);
                checkCrc32(reply, target);
                if (reply.status() < 300) {
                    return read(reply, response, target);
                }
                AwsServiceException error = error(reply);
                throttled = error.isThrottlingException();
                String code = error.awsErrorDetails().errorCode();
                if (!(throttled
                        || TRANSIENT_STATUSES.contains(reply.status())
                        || (code != null && TRANSIENT_ERROR_CODES.contains(code)))) {
                    throw error;
                }
                failure = error;
            } catch (IOException e) {
                failure = SdkClientException.create("Could not call " + target + " at " + endpoint + ": " + e, e);
            }
            if (attempt >= service.retries().maxAttempts()) {
                throw failure;
            }
            backOff(attempt, throttled);
        }
    }

    /** One HTTP reply; private and never compared, so its body may be an array. */
    @SuppressWarnings("ArrayRecordComponent")
    private record Reply(int status, byte[] body, String crc32, String requestId, String errorType) {}

    private Reply post(Map<String, String> headers, byte[] body) throws IOException {
        Map<String, String> signed =
                signer.sign(endpoint, headers, body, credentials.resolveCredentials(), clock.instant());
        HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
        connection.setConnectTimeout((int) timeouts.connect().toMillis());
        connection.setReadTimeout((int) timeouts.read().toMillis());
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        signed.forEach(connection::setRequestProperty);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        byte[] reply;
        // read to the end (the error stream too), so that the connection goes back to the keep-alive cache
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            reply = in == null ? new byte[0] : in.readAllBytes();
        }
        return new Reply(
                status,
                reply,
                connection.getHeaderField("x-amz-crc32"),
                connection.getHeaderField("x-amzn-RequestId"),
                connection.getHeaderField("x-amzn-ErrorType"));
    }

    /** DynamoDB's checksum of the reply, when it sends one. */
    private static void checkCrc32(Reply reply, String target) {
        if (reply.crc32() == null) {
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(reply.body());
        if (!reply.crc32().equals(Long.toString(crc.getValue()))) {
            throw Crc32MismatchException.create(
                    "The reply to " + target + " has CRC32 " + crc.getValue() + ", not the " + reply.crc32()
                            + " it was sent with",
                    null);
        }
    }

    private static <T, B extends SdkPojo & SdkBuilder<B, T>> T read(Reply reply, B response, String target) {
        try {
            return JsonProtocol.read(reply.body(), response).build();
        } catch (IOException | RuntimeException e) {
            throw SdkClientException.create("Could not read the reply to " + target + ": " + e, e);
        }
    }

    /**
     * The service's exception for an error reply: its modelled class when there is one, with its members; the
     * service's base exception, with the body's start as its message, when the body is not the protocol's JSON (a
     * proxy's or a load balancer's page).
     */
    private AwsServiceException error(Reply reply) {
        JsonProtocol.ErrorFields fields;
        String message;
        try {
            fields = JsonProtocol.errorFields(reply.body());
            message = fields.message();
        } catch (IOException | RuntimeException notJson) {
            fields = null;
            String text = new String(reply.body(), StandardCharsets.UTF_8).strip();
            message = "HTTP " + reply.status() + ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
        }
        // as the SDK and the protocol's specification: the header first, then the body's __type, then its code
        String code = errorCode(
                reply.errorType() != null
                        ? reply.errorType()
                        : fields == null ? null : fields.type() != null ? fields.type() : fields.code());
        AwsServiceException.Builder builder =
                fields == null ? service.serviceException().get() : modelledException(code);
        if (fields != null) {
            try {
                JsonProtocol.read(reply.body(), builder); // the error's own members, such as CancellationReasons
            } catch (IOException | RuntimeException unreadableMembers) {
                // the code and the message still say what went wrong
            }
        }
        return builder.message(message)
                .statusCode(reply.status())
                .requestId(reply.requestId())
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .serviceName(service.serviceName())
                        .sdkHttpResponse(SdkHttpResponse.builder()
                                .statusCode(reply.status())
                                .build())
                        .build())
                .build();
    }

    /** {@code com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException} or {@code Code:uri} to the code. */
    static String errorCode(String type) {
        if (type == null) {
            return null;
        }
        int colon = type.indexOf(':');
        String code = colon < 0 ? type : type.substring(0, colon);
        return code.substring(code.indexOf('#') + 1);
    }

    /** The model's exception named by the code, with or without an {@code Exception} suffix, else the base one. */
    private AwsServiceException.Builder modelledException(String code) {
        if (code != null) {
            for (String name : new String[] {code, code + "Exception"}) {
                try {
                    Class<?> type = Class.forName(service.modelPackage() + "." + name);
                    if (AwsServiceException.class.isAssignableFrom(type)) {
                        return (AwsServiceException.Builder)
                                type.getMethod("builder").invoke(null);
                    }
                } catch (ReflectiveOperationException notThisName) {
                    // try the next spelling, then the service's base exception
                }
            }
        }
        return service.serviceException().get();
    }

    private void backOff(int attempt, boolean throttled) {
        long base = (throttled ? THROTTLED_BASE_DELAY : service.retries().baseDelay()).toMillis();
        long ceiling = Math.min(MAX_DELAY.toMillis(), base << Math.min(attempt - 1, 20));
        try {
            pause.millis(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("Interrupted while waiting to retry", e);
        }
    }
}
