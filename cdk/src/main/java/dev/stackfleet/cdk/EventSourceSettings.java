package dev.stackfleet.cdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The stream event source settings of {@code lambdas/stream/src/main/resources/stream-event-source.json},
 * shared with the local poller so that both deliver records the same way (format in docs/contracts.md).
 *
 * @param filters Lambda event filter patterns; a record passes when any of them matches
 */
public record EventSourceSettings(
    int batchSize,
    int maxBatchingWindowSeconds,
    int maxRetryAttempts,
    int maxRecordAgeSeconds,
    boolean bisectBatchOnError,
    List<Map<String, Object>> filters) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
      .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true);

  public EventSourceSettings {
    if (batchSize < 1 || maxRetryAttempts < 0 || maxBatchingWindowSeconds < 0) {
      throw new IllegalArgumentException("stream event source settings out of range: batchSize "
          + batchSize + ", maxRetryAttempts " + maxRetryAttempts + ", maxBatchingWindowSeconds "
          + maxBatchingWindowSeconds);
    }
    if (maxRecordAgeSeconds < 60) {
      throw new IllegalArgumentException("maxRecordAgeSeconds must be at least 60 (a Lambda limit), got "
          + maxRecordAgeSeconds);
    }
    filters = filters == null ? List.of() : List.copyOf(filters);
  }

  public static EventSourceSettings read(Path file) {
    try {
      return JSON.readValue(file.toFile(), new TypeReference<EventSourceSettings>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stream event source settings " + file, e);
    }
  }
}
