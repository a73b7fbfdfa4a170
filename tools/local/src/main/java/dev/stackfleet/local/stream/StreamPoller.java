package dev.stackfleet.local.stream;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.EventSourceSettings;
import dev.stackfleet.local.LocalLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Stands in for the stream Lambda's event source mapping on one machine: reads the table's DynamoDB stream, keeps
 * the records that pass the mapping's filters, gathers them into batches and invokes the handler in-process with
 * the mapping's retry, bisect and on-failure semantics ({@link BatchDelivery}). Settings come from the same
 * {@code stream-event-source.json} the CDK app deploys.
 *
 * <p>Each shard is read from {@code TRIM_HORIZON}: the local table is new, and {@code LATEST} would miss the
 * records written between the table's creation and the poller's first read. Records of one shard are delivered
 * in order, one batch at a time; a child shard is read once its parent is finished. Empty reads wait
 * {@code idleWait} before the next; {@link #close()} wakes the thread and ends it.
 */
public final class StreamPoller implements AutoCloseable {

    /**
     * How often the poller looks again.
     *
     * @param idleWait wait after a read that found nothing to deliver
     * @param retryBackoff wait before the n-th retry of a failed batch: n times this
     */
    public record Timings(Duration idleWait, Duration retryBackoff) {
        public static final Timings DEFAULT = new Timings(Duration.ofMillis(250), Duration.ofMillis(500));

        public Timings {
            if (idleWait.isNegative() || idleWait.isZero() || retryBackoff.isNegative()) {
                throw new IllegalArgumentException("idleWait must be positive and retryBackoff not negative");
            }
        }
    }

    private static final Duration SHARD_REFRESH = Duration.ofSeconds(10);
    private static final int GET_RECORDS_LIMIT = 1000;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final EventSourceSettings settings;
    private final EventFilter filter;
    private final LambdaRecordJson recordJson = new LambdaRecordJson();
    private final BatchConsumer delivery;
    private final Consumer<String> log;
    private final Timings timings;
    private final Clock clock = Clock.systemUTC();

    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private Instant shardsRefreshedAt = Instant.EPOCH;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean running;
    private Thread thread;

    /**
     * A poller with the default timings that sends given-up batches to an SQS queue and writes its lines (and the
     * handler's) to standard output as {@code HH:mm:ss.SSS [stream] message}.
     *
     * @param onFailureQueueUrl the on-failure destination, the stream Lambda's dead-letter queue
     */
    public StreamPoller(
            DynamoDbStreamsClient streams,
            String streamArn,
            EventSourceSettings settings,
            RequestHandler<DynamodbEvent, StreamsEventResponse> handler,
            SqsClient sqs,
            String onFailureQueueUrl) {
        this(
                streams,
                streamArn,
                settings,
                handler,
                OnFailureDestination.sqs(sqs, onFailureQueueUrl),
                message -> LocalLog.line("stream", message));
    }

    /**
     * A poller with the default timings.
     *
     * @param streams the DynamoDB Streams client (the emulator's endpoint)
     * @param streamArn the table's stream, e.g. from DescribeTable's {@code LatestStreamArn}
     * @param settings batch size, window, retries, bisect, record age and filters
     *                 ({@link EventSourceSettings#load()})
     * @param handler the stream Lambda's handler, e.g. {@code new StreamHandler(config, sfn, sqs)}
     * @param onFailure where given-up batches are described ({@link OnFailureDestination#sqs})
     * @param log receives one line per message: the handler's log and the poller's own
     */
    public StreamPoller(
            DynamoDbStreamsClient streams,
            String streamArn,
            EventSourceSettings settings,
            RequestHandler<DynamodbEvent, StreamsEventResponse> handler,
            OnFailureDestination onFailure,
            Consumer<String> log) {
        this(streams, streamArn, settings, handler, onFailure, log, Timings.DEFAULT);
    }

    /** As above, with explicit timings (tests shorten them). */
    public StreamPoller(
            DynamoDbStreamsClient streams,
            String streamArn,
            EventSourceSettings settings,
            RequestHandler<DynamodbEvent, StreamsEventResponse> handler,
            OnFailureDestination onFailure,
            Consumer<String> log,
            Timings timings) {
        this(
                streams,
                streamArn,
                settings,
                new BatchDelivery(
                        handler,
                        settings,
                        new LambdaRecordJson(),
                        onFailure,
                        log,
                        timings.retryBackoff(),
                        Clock.systemUTC(),
                        streamArn),
                log,
                timings);
    }

    /**
     * A poller that hands the records passing the settings' filters, in batches of the settings' size and window, to
     * another consumer than the stream Lambda (the settings' retry fields are then the consumer's business).
     */
    public StreamPoller(
            DynamoDbStreamsClient streams,
            String streamArn,
            EventSourceSettings settings,
            BatchConsumer consumer,
            Consumer<String> log,
            Timings timings) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.streamArn = Objects.requireNonNull(streamArn, "streamArn");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.filter = EventFilter.of(settings.filters());
        this.delivery = Objects.requireNonNull(consumer, "consumer");
        this.log = Objects.requireNonNull(log, "log");
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    /** Starts polling on a daemon thread named {@code stream-poller}. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("The stream poller was started already");
        }
        running = true;
        thread = new Thread(this::run, "stream-poller");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops polling and waits (up to 10 s) for a batch in flight to finish. */
    @Override
    public void close() {
        Thread current;
        synchronized (this) {
            running = false;
            current = thread;
        }
        if (current == null) {
            return;
        }
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        current.interrupt();
        try {
            current.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        log.accept("stream poller: reading " + streamArn);
        while (running) {
            boolean busy;
            try {
                busy = pollOnce();
            } catch (InterruptedException e) {
                break;
            } catch (SdkException e) {
                if (running) {
                    log.accept("stream poller: reading the stream failed, trying again: " + e.getMessage());
                }
                busy = false;
            } catch (RuntimeException e) {
                log.accept("stream poller: unexpected failure, trying again: " + e);
                busy = false;
            }
            if (!busy && !idle()) {
                break;
            }
        }
        log.accept("stream poller: stopped");
    }

    /** Waits {@code idleWait} or until closed; false when closed. */
    private boolean idle() {
        lock.lock();
        try {
            long left = timings.idleWait().toNanos();
            while (running && left > 0) {
                left = wake.awaitNanos(left);
            }
            return running;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** One round over the shards: read, filter, deliver what is due. True when anything was read or delivered. */
    boolean pollOnce() throws InterruptedException {
        refreshShards();
        boolean busy = false;
        for (ShardState shard : new ArrayList<>(shards.values())) {
            if (!running) {
                break;
            }
            if (shard.finished() || !parentFinished(shard)) {
                continue;
            }
            busy |= read(shard);
            busy |= deliverDue(shard);
        }
        return busy;
    }

    private boolean read(ShardState shard) {
        if (shard.closed) {
            return false;
        }
        // A fresh iterator for every read instead of the last NextShardIterator: the emulator undoes a cancelled
        // transaction by putting back a copy of the table, whose stream shard the iterators it issued before no
        // longer see; an iterator asked for now always reads the table's current shard.
        String iterator = iterator(shard);
        GetRecordsResponse response =
                streams.getRecords(r -> r.shardIterator(iterator).limit(GET_RECORDS_LIMIT));
        if (response.nextShardIterator() == null) {
            shard.closed = true;
        }
        Instant now = clock.instant();
        for (Record record : response.records()) {
            shard.lastSequenceNumber = record.dynamodb().sequenceNumber();
            ObjectNode json = recordJson.toJson(record, streamArn);
            if (filter.matches(json)) {
                Instant created = record.dynamodb().approximateCreationDateTime();
                shard.buffer.add(
                        new PolledRecord(json, record.dynamodb().sequenceNumber(), created == null ? now : created));
                if (shard.bufferedSince == null) {
                    shard.bufferedSince = now;
                }
            }
        }
        return !response.records().isEmpty();
    }

    private boolean deliverDue(ShardState shard) throws InterruptedException {
        boolean delivered = false;
        while (!shard.buffer.isEmpty() && running) {
            boolean full = shard.buffer.size() >= settings.batchSize();
            boolean windowOver =
                    !clock.instant().isBefore(shard.bufferedSince.plusSeconds(settings.maxBatchingWindowSeconds()));
            if (!full && !windowOver && !shard.closed) {
                break;
            }
            int size = Math.min(settings.batchSize(), shard.buffer.size());
            List<PolledRecord> batch = new ArrayList<>(shard.buffer.subList(0, size));
            delivery.deliver(shard.id, batch);
            shard.buffer.subList(0, size).clear();
            shard.bufferedSince = shard.buffer.isEmpty() ? null : clock.instant();
            delivered = true;
        }
        return delivered;
    }

    private String iterator(ShardState shard) {
        GetShardIteratorRequest.Builder request =
                GetShardIteratorRequest.builder().streamArn(streamArn).shardId(shard.id);
        if (shard.lastSequenceNumber == null) {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        } else {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(shard.lastSequenceNumber);
        }
        return streams.getShardIterator(request.build()).shardIterator();
    }

    private void refreshShards() {
        Instant now = clock.instant();
        boolean noneOpen = shards.values().stream().allMatch(ShardState::finished);
        if (!noneOpen && now.isBefore(shardsRefreshedAt.plus(SHARD_REFRESH))) {
            return;
        }
        String startAfter = null;
        do {
            String exclusiveStart = startAfter;
            StreamDescription description = streams.describeStream(DescribeStreamRequest.builder()
                            .streamArn(streamArn)
                            .exclusiveStartShardId(exclusiveStart)
                            .build())
                    .streamDescription();
            for (Shard shard : description.shards()) {
                shards.computeIfAbsent(shard.shardId(), id -> new ShardState(id, shard.parentShardId()));
            }
            startAfter = description.lastEvaluatedShardId();
        } while (startAfter != null);
        shardsRefreshedAt = now;
    }

    private boolean parentFinished(ShardState shard) {
        ShardState parent = shard.parentId == null ? null : shards.get(shard.parentId);
        return parent == null || parent.finished();
    }

    /** Reading position and undelivered records of one shard; touched by the poller thread only. */
    private static final class ShardState {
        final String id;
        final String parentId;
        final List<PolledRecord> buffer = new ArrayList<>();
        String lastSequenceNumber;
        Instant bufferedSince;
        boolean closed;

        ShardState(String id, String parentId) {
            this.id = id;
            this.parentId = parentId;
        }

        boolean finished() {
            return closed && buffer.isEmpty();
        }
    }
}
