package dev.stackfleet.local;

import dev.stackfleet.core.EventSourceSettings;
import dev.stackfleet.core.LifecyclePipe;
import dev.stackfleet.local.stream.BatchConsumer;
import dev.stackfleet.local.stream.PipeInputTemplate;
import dev.stackfleet.local.stream.PolledRecord;
import dev.stackfleet.local.stream.StreamPoller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The emulator's stand-in for the lifecycle-event pipe (the emulator runs no EventBridge Pipes): a reader of the
 * table's stream of its own, as the pipe is on AWS, that keeps the records passing the pipe's filters, renders each
 * with the pipe's input template and puts it on the {@value LifecyclePipe#BUS_NAME} bus, in stream order, one
 * PutEvents call per batch. Filters and template come from the same {@value LifecyclePipe#FILE} the CDK app deploys.
 * A failed call is retried until it succeeds, as the pipe retries until the records expire.
 * Each published event is a progress line, {@code [lifecycle] GameServer Status Changed {detail}}.
 */
public final class LocalLifecyclePipe implements BatchConsumer, AutoCloseable {

    private static final Duration RETRY_BACKOFF = Duration.ofMillis(500);

    private final LifecyclePipe definition;
    private final PipeInputTemplate template;
    private final EventBridgeClient eventBridge;
    private final DynamoDbStreamsClient streams;
    private final StreamPoller poller;

    /**
     * @param aws clients aimed at the emulator
     * @param streamArn the table's stream
     * @param definition the pipe's filters, template, source and detail-type
     */
    public LocalLifecyclePipe(LocalAws aws, String streamArn, LifecyclePipe definition) {
        this.definition = definition;
        this.template = PipeInputTemplate.of(definition.inputTemplate());
        this.eventBridge = aws.eventBridge();
        this.streams = aws.dynamoDbStreams();
        // Retries are this class's own; the settings' retry fields are unused.
        EventSourceSettings batching = new EventSourceSettings(
                LifecyclePipe.BATCH_SIZE,
                0,
                EventSourceSettings.UNTIL_EXPIRY,
                EventSourceSettings.UNTIL_EXPIRY,
                false,
                definition.filters());
        this.poller = new StreamPoller(
                streams, streamArn, batching, this, LocalLifecyclePipe::log, StreamPoller.Timings.DEFAULT);
    }

    public void start() {
        poller.start();
    }

    @Override
    public void deliver(String shardId, List<PolledRecord> batch) throws InterruptedException {
        List<PutEventsRequestEntry> pending = new ArrayList<>();
        for (PolledRecord record : batch) {
            pending.add(PutEventsRequestEntry.builder()
                    .eventBusName(LifecyclePipe.BUS_NAME)
                    .source(definition.source())
                    .detailType(definition.detailType())
                    .detail(template.render(record.json()).toString())
                    .build());
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(RETRY_BACKOFF.toMillis());
            }
            pending = put(pending);
        }
    }

    /**
     * Puts the entries; returns those from the first refused one on, so that a server's events stay in order (an
     * accepted entry after a refused one is put again: subscribers see it twice, as they may from the pipe).
     */
    private List<PutEventsRequestEntry> put(List<PutEventsRequestEntry> entries) {
        PutEventsResponse response;
        try {
            response = eventBridge.putEvents(r -> r.entries(entries));
        } catch (SdkException e) {
            log("PutEvents failed, trying again: " + e.getMessage());
            return entries;
        }
        for (int i = 0; i < entries.size(); i++) {
            PutEventsResultEntry result = response.entries().get(i);
            if (result.errorCode() != null) {
                log("PutEvents refused an event, trying again: " + result.errorCode() + " " + result.errorMessage());
                return entries.subList(i, entries.size());
            }
            log(entries.get(i).detailType() + " " + entries.get(i).detail());
        }
        return List.of();
    }

    private static void log(String message) {
        LocalLog.line("lifecycle", message);
    }

    @Override
    public void close() {
        poller.close();
        eventBridge.close();
        streams.close();
    }
}
