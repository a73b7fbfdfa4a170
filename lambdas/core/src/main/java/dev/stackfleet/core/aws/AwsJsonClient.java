package dev.stackfleet.core.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
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
 * interceptors, the HTTP pipeline) and takes most of a cold start; this path loads a few hundred. Like the SDK's
 * standard retry mode it makes up to {@value #MAX_ATTEMPTS} attempts on an I/O failure, a 5xx or a throttling
 * error, with full-jitter exponential backoff, and checks DynamoDB's {@code x-amz-crc32}.
 */
public final class AwsJsonClient {

    static final int MAX_ATTEMPTS = 3;
    private static final long BASE_DELAY_MILLIS = 100;
    private static final long THROTTLED_BASE_DELAY_MILLIS = 500;
    private static final long MAX_DELAY_MILLIS = 20_000;

    private final Service service;
    private final URI endpoint;
    private final SigV4 signer;
    private final AwsCredentialsProvider credentials;
    private final Timeouts timeouts;
    private final Clock clock;

    /**
     * What differs between the services this client speaks to.
     *
     * @param signingName the name requests are signed for ({@code dynamodb}, {@code states}, {@code sqs})
     * @param endpointPrefix the first label of the service's regional host name
     * @param serviceId the service's id in {@code AWS_ENDPOINT_URL_<ID>} ({@code DYNAMODB}, {@code SFN}, {@code SQS})
     * @param targetPrefix what {@code X-Amz-Target} puts before the operation ({@code DynamoDB_20120810})
     * @param jsonVersion {@code 1.0} or {@code 1.1}
     * @param modelPackage the package of the service's model classes, where its exceptions are looked up
     * @param serviceException the builder of the service's base exception, for error codes without a class
     */
    public record Service(
            String signingName,
            String endpointPrefix,
            String serviceId,
            String targetPrefix,
            String jsonVersion,
            String modelPackage,
            Supplier<AwsServiceException.Builder> serviceException) {}

    /** How long to wait for a connection and for a reply. */
    public record Timeouts(Duration connect, Duration read) {

        /** The SDK's URL-connection client's defaults. */
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    AwsJsonClient(
            Service service,
            URI endpoint,
            String region,
            AwsCredentialsProvider credentials,
            Timeouts timeouts,
            Clock clock) {
        this.service = service;
        this.endpoint = endpoint;
        this.signer = new SigV4(service.signingName(), region);
        this.credentials = credentials;
        this.timeouts = timeouts;
        this.clock = clock;
    }

    /**
     * A client for the service in {@code region}, at the endpoint the environment names as the SDK reads it
     * ({@code AWS_ENDPOINT_URL_<SERVICE ID>}, then {@code AWS_ENDPOINT_URL}), else at the service's regional
     * endpoint.
     */
    public static AwsJsonClient create(
            Service service,
            String region,
            AwsCredentialsProvider credentials,
            Timeouts timeouts,
            Function<String, String> env) {
        return new AwsJsonClient(
                service, endpoint(service, region, env), region, credentials, timeouts, Clock.systemUTC());
    }

    static URI endpoint(Service service, String region, Function<String, String> env) {
        for (String name : new String[] {"AWS_ENDPOINT_URL_" + service.serviceId(), "AWS_ENDPOINT_URL"}) {
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
        byte[] body = JsonProtocol.write(request);
        Map<String, String> headers = Map.of(
                "Content-Type", "application/x-amz-json-" + service.jsonVersion(),
                "X-Amz-Target", service.targetPrefix() + "." + operation);
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try {
                Reply reply = post(headers, body);
                if (reply.status() < 300) {
                    return JsonProtocol.read(reply.body(), response).build();
                }
                AwsServiceException error = error(reply);
                if (!(error.isThrottlingException() || reply.status() >= 500)) {
                    throw error;
                }
                failure = error;
            } catch (IOException e) {
                failure = SdkClientException.create(
                        "Could not call " + service.targetPrefix() + "." + operation + " at " + endpoint + ": " + e, e);
            }
            if (attempt == MAX_ATTEMPTS) {
                throw failure;
            }
            backOff(attempt, failure instanceof AwsServiceException s && s.isThrottlingException());
        }
    }

    /** One HTTP reply; private and never compared, so its body may be an array. */
    @SuppressWarnings("ArrayRecordComponent")
    private record Reply(int status, byte[] body, String requestId, String errorType) {}

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
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            reply = in == null ? new byte[0] : in.readAllBytes();
        }
        String crc = connection.getHeaderField("x-amz-crc32");
        if (crc != null && Long.parseLong(crc) != crc32(reply)) {
            throw new IOException("the reply's CRC32 is " + crc32(reply) + ", not the " + crc + " it was sent with");
        }
        return new Reply(
                status,
                reply,
                connection.getHeaderField("x-amzn-RequestId"),
                connection.getHeaderField("x-amzn-ErrorType"));
    }

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** The service's exception for an error reply: its modelled class when there is one, with its members. */
    private AwsServiceException error(Reply reply) throws IOException {
        JsonProtocol.ErrorFields error = JsonProtocol.errorFields(reply.body());
        String code = errorCode(error.type() != null ? error.type() : reply.errorType());
        AwsServiceException.Builder builder = modelledException(code);
        JsonProtocol.read(reply.body(), builder); // the error's own members, such as CancellationReasons
        String message = error.message();
        return builder.message(message)
                .statusCode(reply.status())
                .requestId(reply.requestId())
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .serviceName(service.serviceId())
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
        String code = type.substring(type.indexOf('#') + 1);
        int colon = code.indexOf(':');
        return colon < 0 ? code : code.substring(0, colon);
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
        long base = throttled ? THROTTLED_BASE_DELAY_MILLIS : BASE_DELAY_MILLIS;
        long ceiling = Math.min(MAX_DELAY_MILLIS, base << (attempt - 1));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("Interrupted while waiting to retry", e);
        }
    }
}
