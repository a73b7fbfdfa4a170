package dev.stackfleet.stream;

import dev.stackfleet.core.aws.AwsJsonClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The stream Lambda's SQS client, for its dead-letter queue: the SDK's {@link SqsClient} for {@code SendMessage},
 * over {@link AwsJsonClient} (SQS speaks the JSON protocol as well as its older query protocol). Every other
 * operation is the interface's default, which throws {@code UnsupportedOperationException}.
 */
final class LightSqsClient implements SqsClient {

    static final AwsJsonClient.Service SQS = new AwsJsonClient.Service(
            "sqs", "sqs", "SQS", "AmazonSQS", "1.0", SqsException.class.getPackageName(), SqsException::builder);

    private final AwsJsonClient json;

    LightSqsClient(AwsJsonClient json) {
        this.json = json;
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        return json.call("SendMessage", request, SendMessageResponse.builder());
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
