package dev.stackfleet.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The signature is the one the SDK's own SigV4 signer computes for the same request, byte for byte. */
class SigV4Test {

    private static final Instant NOW = Instant.parse("2026-12-01T05:06:07Z");
    private static final byte[] BODY =
            "{\"TableName\":\"gameservers\",\"Key\":{\"owner\":{\"S\":\"alice\"}}}".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "application/x-amz-json-1.0",
            "X-Amz-Target", "DynamoDB_20120810.GetItem",
            "X-Test-Spaces", "  two   runs  of spaces ");

    @ParameterizedTest
    @ValueSource(
            strings = {"https://dynamodb.eu-west-1.amazonaws.com", "http://127.0.0.1:5000", "http://localhost:80/"})
    void signsAsTheSdkDoesWithSessionCredentials(String endpoint) {
        assertSameSignature(URI.create(endpoint), AwsSessionCredentials.create("AKIDEXAMPLE", "secret/key", "token+="));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://dynamodb.eu-west-1.amazonaws.com", "http://127.0.0.1:5000"})
    void signsAsTheSdkDoesWithLongTermCredentials(String endpoint) {
        assertSameSignature(URI.create(endpoint), AwsBasicCredentials.create("AKIDEXAMPLE", "secret/key"));
    }

    private static void assertSameSignature(URI endpoint, AwsCredentialsIdentity credentials) {
        Map<String, String> ours = new SigV4("dynamodb", "eu-west-1").sign(endpoint, HEADERS, BODY, credentials, NOW);

        SdkHttpRequest.Builder request =
                SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve(SigV4.path(endpoint)));
        HEADERS.forEach(request::putHeader);
        SignedRequest sdk = AwsV4HttpSigner.create()
                .sign(r -> r.identity(credentials)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(BODY))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));

        assertEquals(sdk.request().firstMatchingHeader("Authorization").orElseThrow(), ours.get("Authorization"));
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow(), ours.get("X-Amz-Date"));
        assertEquals(
                sdk.request().firstMatchingHeader("X-Amz-Security-Token").orElse(null),
                ours.get("X-Amz-Security-Token"));
    }
}
