package dev.stackfleet.ops;

import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs one AWS call and turns its failure into an {@link OpsException} that names the IAM action and the
 * resource, so that "access denied" reads as "needs states:RedriveExecution on arn:...".
 */
final class AwsCall {

    private static final Set<String> ACCESS_DENIED = Set.of(
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "AuthorizationError",
            "UnauthorizedException");
    private static final Set<String> BAD_CREDENTIALS = Set.of(
            "ExpiredToken",
            "ExpiredTokenException",
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "InvalidSignatureException",
            "SignatureDoesNotMatch");

    private AwsCall() {}

    /**
     * @param action the IAM action the call needs, e.g. {@code states:DescribeExecution}
     * @param resource the ARN or name the call acts on
     * @param call the SDK call; service exceptions it handles itself (e.g. "does not exist") never reach here
     */
    static <T> T call(String action, String resource, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw explain(e, action, resource);
        } catch (SdkClientException e) {
            throw new OpsException(action + " on " + resource + " could not be sent: " + e.getMessage()
                    + "\n  check the region (--region or AWS_REGION), the credentials, and in local mode the"
                    + " endpoint (--endpoint-url or AWS_ENDPOINT_URL)");
        }
    }

    /** The operator-facing explanation of a service error. */
    static OpsException explain(AwsServiceException e, String action, String resource) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        if (code != null && ACCESS_DENIED.contains(code)) {
            return new OpsException("access denied: needs " + action + " on " + resource
                    + "\n  grant it to the identity you run as (AWS said: " + message + ")");
        }
        if (code != null && BAD_CREDENTIALS.contains(code)) {
            return new OpsException("the credentials were rejected (" + code + ") calling " + action
                    + ": refresh them, e.g. aws sso login, and retry");
        }
        if (code == null || message == null) {
            return new OpsException(action + " on " + resource + " failed with HTTP " + e.statusCode()
                    + (e.statusCode() >= 500
                            ? " (a service error: retry later; in local mode the emulator may not"
                                    + " implement the API)"
                            : "")
                    + ": " + e.getMessage());
        }
        return new OpsException(action + " on " + resource + " failed: " + code + ": " + message);
    }
}
