package dev.stackfleet.core.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS Signature Version 4 for the one request shape of the AWS JSON protocol: a POST of a body to the endpoint's
 * path, with no query string. Signs every header it is given plus {@code host}, {@code x-amz-date}, the payload's
 * hash in {@code x-amz-content-sha256} (as the SDK's signer does) and, with session credentials,
 * {@code x-amz-security-token}.
 *
 * @param service the signing name ({@code dynamodb}, {@code states}, {@code sqs})
 * @param region the region the credential scope names
 */
record SigV4(String service, String region) {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** A header value's runs of spaces, which its canonical form has as one. */
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * The headers to send: the given ones, {@code X-Amz-Content-Sha256}, {@code X-Amz-Date},
     * {@code X-Amz-Security-Token} with session credentials, and {@code Authorization}. {@code Host} is signed but not returned: the HTTP client sets it.
     */
    Map<String, String> sign(
            URI endpoint, Map<String, String> headers, byte[] body, AwsCredentialsIdentity credentials, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String payloadHash = hex(sha256(body));
        Map<String, String> sent = new TreeMap<>(headers);
        sent.put("X-Amz-Content-Sha256", payloadHash);
        sent.put("X-Amz-Date", amzDate);
        if (credentials instanceof AwsSessionCredentialsIdentity session) {
            sent.put("X-Amz-Security-Token", session.sessionToken());
        }
        Map<String, String> signed = new TreeMap<>();
        sent.forEach((name, value) -> signed.put(
                name.toLowerCase(Locale.ROOT), SPACES.matcher(value.strip()).replaceAll(" ")));
        signed.put("host", host(endpoint));
        StringBuilder canonical =
                new StringBuilder("POST\n").append(path(endpoint)).append("\n\n");
        signed.forEach((name, value) ->
                canonical.append(name).append(':').append(value).append('\n'));
        String signedNames = String.join(";", signed.keySet());
        canonical.append('\n').append(signedNames).append('\n').append(payloadHash);

        String day = amzDate.substring(0, 8);
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        sent.put(
                "Authorization",
                ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope + ", SignedHeaders=" + signedNames
                        + ", Signature=" + hex(hmac(key, toSign)));
        return sent;
    }

    /** The Host header as {@code HttpURLConnection} sends it: the port only when it is not the scheme's default. */
    static String host(URI endpoint) {
        int port = endpoint.getPort();
        boolean defaultPort = port == -1
                || ("https".equals(endpoint.getScheme()) && port == 443)
                || ("http".equals(endpoint.getScheme()) && port == 80);
        return defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    }

    static String path(URI endpoint) {
        String path = endpoint.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
