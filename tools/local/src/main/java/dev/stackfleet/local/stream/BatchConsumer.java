package dev.stackfleet.local.stream;

import java.util.List;

/**
 * What the {@link StreamPoller} hands each due batch of a shard to: the stream Lambda's {@link BatchDelivery}, or
 * another reader's stand-in. The poller moves on once {@link #deliver} returns.
 */
@FunctionalInterface
public interface BatchConsumer {

    /**
     * Processes the batch, retrying as the stood-in service would, until every record is done with.
     *
     * @throws InterruptedException when the poller is closed during a retry wait
     */
    void deliver(String shardId, List<PolledRecord> batch) throws InterruptedException;
}
