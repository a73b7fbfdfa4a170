package dev.stackfleet.stream;

import dev.stackfleet.core.ExecutionRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDeletingException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Starts the executions of one batch: concurrently across servers, with at most {@code maxConcurrentStarts}
 * calls in flight (StartExecution has an account-wide rate quota), and in stream order for the records of one
 * server, so that a server's create is started before its update or delete in the same batch.
 *
 * <p>Every execution has the deterministic name of its intent: {@code ExecutionAlreadyExists} means the intent
 * was started before and counts as success.
 */
public final class ExecutionStarter {

    private final SfnClient sfn;
    private final int maxConcurrentStarts;

    public ExecutionStarter(SfnClient sfn, int maxConcurrentStarts) {
        if (maxConcurrentStarts < 1) {
            throw new IllegalArgumentException("maxConcurrentStarts must be at least 1");
        }
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.maxConcurrentStarts = maxConcurrentStarts;
    }

    /**
     * Starts every request and returns one outcome per request, in the same order.
     */
    public List<StartOutcome> startAll(List<ExecutionRequest> requests) {
        StartOutcome[] outcomes = new StartOutcome[requests.size()];
        Map<String, List<Integer>> byServer = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            ExecutionRequest request = requests.get(i);
            byServer.computeIfAbsent(
                            request.input().owner() + "/" + request.input().gameServerId(), k -> new ArrayList<>())
                    .add(i);
        }
        Semaphore permits = new Semaphore(maxConcurrentStarts);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<Integer> indexes : byServer.values()) {
                threads.execute(() -> startInOrder(requests, indexes, outcomes, permits));
            }
        }
        List<StartOutcome> result = new ArrayList<>(outcomes.length);
        for (StartOutcome outcome : outcomes) {
            result.add(outcome == null ? new StartOutcome.Failed("start was not attempted") : outcome);
        }
        return result;
    }

    private void startInOrder(
            List<ExecutionRequest> requests, List<Integer> indexes, StartOutcome[] outcomes, Semaphore permits) {
        String blockedBy = null;
        for (int index : indexes) {
            if (blockedBy != null) {
                outcomes[index] = new StartOutcome.NotAttempted("earlier record of this server failed: " + blockedBy);
                continue;
            }
            StartOutcome outcome;
            try {
                permits.acquire();
                try {
                    outcome = start(requests.get(index));
                } finally {
                    permits.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = new StartOutcome.Failed("interrupted");
            }
            outcomes[index] = outcome;
            if (outcome.retry()) {
                blockedBy = requests.get(index).name().toString();
            }
        }
    }

    StartOutcome start(ExecutionRequest request) {
        try {
            StartExecutionResponse response = sfn.startExecution(StartExecutionRequest.builder()
                    .stateMachineArn(request.stateMachineArn())
                    .name(request.name().toString())
                    .input(request.input().toJson())
                    .build());
            return new StartOutcome.Started(response.executionArn());
        } catch (ExecutionAlreadyExistsException e) {
            return new StartOutcome.AlreadyStarted();
        } catch (InvalidExecutionInputException | InvalidNameException | ValidationException e) {
            // the request itself is wrong: no later delivery of the same record can succeed
            return new StartOutcome.Rejected(describe(e));
        } catch (InvalidArnException | StateMachineDoesNotExistException | StateMachineDeletingException e) {
            // the deployment is wrong (a bad ARN, a machine being replaced): every record would fail alike, so keep
            // them on the stream until it is fixed rather than dead-letter them one by one
            return new StartOutcome.Failed("configuration: " + describe(e));
        } catch (SdkException e) {
            // throttling, 5xx, ExecutionLimitExceeded, network errors and timeouts: worth another delivery
            return new StartOutcome.Failed(describe(e));
        } catch (RuntimeException e) {
            // not expected from the SDK; retrying keeps the record rather than losing it
            return new StartOutcome.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + "): "
                    + service.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
