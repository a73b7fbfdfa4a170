package dev.stackfleet.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Step Functions as far as the stream Lambda uses it: executions by name, and a second start under an existing
 * name refused with {@code ExecutionAlreadyExists} (as for a closed execution). Failures can be queued per
 * execution name, and starts can be held to observe how many run at once.
 */
final class FakeSfn implements SfnClient {

    /** A started execution. */
    record Execution(String stateMachineArn, String name, String input) {}

    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Deque<RuntimeException>> failures = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Semaphore arrivals = new Semaphore(0);
    private volatile CountDownLatch hold;

    static SfnException throttling() {
        return (SfnException) SfnException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ThrottlingException")
                        .errorMessage("Rate exceeded")
                        .build())
                .build();
    }

    static SfnException serverError() {
        return (SfnException) SfnException.builder()
                .statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InternalFailure")
                        .errorMessage("internal error")
                        .build())
                .build();
    }

    /** The next start of this execution name throws this exception. */
    synchronized FakeSfn failNext(String executionName, RuntimeException failure) {
        failures.computeIfAbsent(executionName, k -> new ArrayDeque<>()).add(failure);
        return this;
    }

    /** Starts block until {@link #release()}. */
    void holdStarts() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    /** Waits until this many more starts have begun; false when they did not within the timeout. */
    boolean awaitArrivals(int count, Duration timeout) throws InterruptedException {
        return arrivals.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest request) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        arrivals.release();
        try {
            CountDownLatch latch = hold;
            if (latch != null && !latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("start held for more than 10 s");
            }
            return record(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private synchronized StartExecutionResponse record(StartExecutionRequest request) {
        calls.add(request.name());
        Deque<RuntimeException> queued = failures.get(request.name());
        if (queued != null && !queued.isEmpty()) {
            throw queued.poll();
        }
        if (executions.containsKey(request.name())) {
            throw ExecutionAlreadyExistsException.builder()
                    .statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ExecutionAlreadyExists")
                            .errorMessage("Execution Already Exists: '" + request.name() + "'")
                            .build())
                    .build();
        }
        executions.put(request.name(), new Execution(request.stateMachineArn(), request.name(), request.input()));
        return StartExecutionResponse.builder()
                .executionArn(request.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + request.name())
                .build();
    }

    synchronized Map<String, Execution> executions() {
        return new LinkedHashMap<>(executions);
    }

    /** Every StartExecution attempted, by name, in call order. */
    synchronized List<String> calls() {
        return new ArrayList<>(calls);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {}
}
