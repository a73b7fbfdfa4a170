package dev.stackfleet.stream;

import dev.stackfleet.core.aws.AwsJsonClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * The stream Lambda's Step Functions client: the SDK's {@link SfnClient} for the two calls it makes, over
 * {@link AwsJsonClient}. Every other operation is the interface's default, which throws
 * {@code UnsupportedOperationException}.
 */
final class LightSfnClient implements SfnClient {

    static final AwsJsonClient.Service STEP_FUNCTIONS = new AwsJsonClient.Service(
            "states",
            "states",
            "SFN",
            "AWSStepFunctions",
            "1.0",
            SfnException.class.getPackageName(),
            SfnException::builder);

    private final AwsJsonClient json;

    LightSfnClient(AwsJsonClient json) {
        this.json = json;
    }

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest request) {
        return json.call("StartExecution", request, StartExecutionResponse.builder());
    }

    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
        return json.call("DescribeExecution", request, DescribeExecutionResponse.builder());
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // HttpURLConnection's keep-alive cache is the JVM's; nothing of this client's to release
    }
}
