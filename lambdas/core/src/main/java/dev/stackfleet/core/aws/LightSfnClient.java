package dev.stackfleet.core.aws;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * The Step Functions client of the stream and reconciler Lambdas: the SDK's {@link SfnClient} for the two calls they
 * make, over {@link AwsJsonClient}. Every other operation is the interface's default, which throws
 * {@code UnsupportedOperationException}. (The API's jar leaves the Step Functions SDK out: nothing there loads this.)
 */
public final class LightSfnClient extends LightAwsClient implements SfnClient {

    public static final AwsJsonClient.Service STEP_FUNCTIONS = new AwsJsonClient.Service(
            "states",
            "states",
            "Sfn",
            "AWSStepFunctions",
            "1.0",
            SfnException.class.getPackageName(),
            SfnException::builder,
            AwsJsonClient.Retries.SDK_DEFAULT);

    public LightSfnClient(AwsJsonClient json) {
        super(json);
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
}
