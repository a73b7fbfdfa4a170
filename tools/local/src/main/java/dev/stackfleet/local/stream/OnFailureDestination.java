package dev.stackfleet.local.stream;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Where the poller sends the description of a batch it gives up on, like an event source mapping's OnFailure. */
@FunctionalInterface
public interface OnFailureDestination {

    /** Sends one message (JSON); throws when it could not be sent. */
    void send(String message);

    /** An SQS queue, as in AWS (the stream Lambda's dead-letter queue). */
    static OnFailureDestination sqs(SqsClient sqs, String queueUrl) {
        return message -> sqs.sendMessage(SendMessageRequest.builder()
                .queueUrl(queueUrl)
                .messageBody(message)
                .build());
    }
}
