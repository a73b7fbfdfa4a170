package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.EventSourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSourceSettingsTest {

    @Test
    void theSharedSettingsFileIsReadable() {
        // GIVEN the settings file the stream module ships
        Path file = Path.of(ProjectFiles.locate().require(ProjectFiles.STREAM_EVENT_SOURCE));

        // WHEN the CDK app reads it
        EventSourceSettings settings = EventSourceSettings.read(file);

        // THEN it holds usable values and at least one filter pattern
        assertTrue(settings.batchSize() >= 1);
        assertTrue(settings.maxRecordAge().toSeconds() >= 60);
        assertFalse(settings.filters().isEmpty());
    }

    @Test
    void anUnknownKeyFailsInsteadOfBeingIgnored(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, """
        {"batchSize": 10, "maxBatchingWindowSeconds": 1, "maxRetryAttempts": 5, "maxRecordAgeSeconds": 3600,
         "bisectBatchOnError": true, "filters": [], "parallelization": 2}
        """);

        assertThrows(IllegalArgumentException.class, () -> EventSourceSettings.read(file));
    }
}
