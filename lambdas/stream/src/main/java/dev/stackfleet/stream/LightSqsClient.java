package dev.stackfleet.stream;

import dev.stackfleet.core.aws.AwsJsonClient;
import dev.stackfleet.core.aws.LightAwsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The stream Lambda's SQS client, for its dead-letter queue: the SDK's {@link SqsClient} for {@code SendMessage},
 * over {@link AwsJsonClient} (SQS speaks the JSON protocol as well as its older query protocol). Every other
 * operation is the interface's default, which throws {@code UnsupportedOperationException}.
 */
final class LightSqsClient extends LightAwsClient implements SqsClient {

    static final AwsJsonClient.Service SQS = new AwsJsonClient.Service(
            "sqs",
            "sqs",
            "Sqs",
            "AmazonSQS",
            "1.0",
            SqsException.class.getPackageName(),
            SqsException::builder,
            AwsJsonClient.Retries.SDK_DEFAULT);

    LightSqsClient(AwsJsonClient json) {
        super(json);
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        return json.call("SendMessage", request, SendMessageResponse.builder());
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }
}
