package dev.stackfleet.stream;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The dead-letter queue: keeps every message sent, or refuses them all while {@link #failing} is set. */
final class FakeSqs implements SqsClient {

    private final List<SendMessageRequest> sent = new ArrayList<>();
    volatile boolean failing;

    @Override
    public synchronized SendMessageResponse sendMessage(SendMessageRequest request) {
        if (failing) {
            throw SqsException.builder()
                    .statusCode(503)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ServiceUnavailable")
                            .errorMessage("try again")
                            .build())
                    .build();
        }
        sent.add(request);
        return SendMessageResponse.builder().messageId("m-" + sent.size()).build();
    }

    synchronized List<SendMessageRequest> sent() {
        return new ArrayList<>(sent);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {}
}
