package dev.stackfleet.local.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A stream record read by the poller and waiting for delivery.
 *
 * @param json the record as Lambda delivers it
 * @param sequenceNumber its sequence number in the shard
 * @param approximateCreation when the change was written, for the record-age limit
 */
public record PolledRecord(ObjectNode json, String sequenceNumber, Instant approximateCreation) {
    public PolledRecord {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(approximateCreation, "approximateCreation");
    }
}
