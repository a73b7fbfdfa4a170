package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

class FailedExecutionsTest {

    private static final Instant NOW = Instant.parse("2025-11-27T08:00:00Z");

    @Test
    void givenAListingNewestStartedFirst_whenFilteredBySince_thenReadingStopsAtTheFirstThatEndedEarlier() {
        List<ExecutionListItem> listing = List.of(ended("a", 1), ended("b", 13), ended("c", 15), ended("d", 2));
        AtomicInteger read = new AtomicInteger();
        Iterable<ExecutionListItem> counted = () -> new Iterator<>() {
            private final Iterator<ExecutionListItem> items = listing.iterator();

            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public ExecutionListItem next() {
                read.incrementAndGet();
                return items.next();
            }
        };

        List<ExecutionListItem> found = FailedExecutions.endedSince(counted, NOW.minus(Duration.ofDays(14)));

        assertEquals(
                List.of("a", "b"), found.stream().map(ExecutionListItem::name).toList());
        assertEquals(3, read.get(), "nothing is read past the first execution that ended before --since");
    }

    private static ExecutionListItem ended(String name, int daysAgo) {
        return ExecutionListItem.builder()
                .name(name)
                .stopDate(NOW.minus(Duration.ofDays(daysAgo)))
                .build();
    }
}
