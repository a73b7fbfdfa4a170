package dev.stackfleet.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamConfigTest {

    @Test
    void missingVariablesAreAllNamedAtInit() {
        // GIVEN an environment without the required variables
        // WHEN the configuration is read
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> StreamConfig.fromEnvironment(Map.of("POLL_MAX_SECONDS", "sixty")));

        // THEN the message names each problem
        assertTrue(e.getMessage().contains("PROVISION_STATE_MACHINE_ARN is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("DEPROVISION_STATE_MACHINE_ARN is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("DEAD_LETTER_QUEUE_URL is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("POLL_MAX_SECONDS must be a whole number, got 'sixty'"), e.getMessage());
    }

    @Test
    void optionalVariablesHaveTheContractDefaults() {
        // GIVEN only the required variables
        StreamConfig config = StreamConfig.fromEnvironment(Map.of(
                "PROVISION_STATE_MACHINE_ARN",
                "arn:p",
                "DEPROVISION_STATE_MACHINE_ARN",
                "arn:d",
                "DEAD_LETTER_QUEUE_URL",
                "https://q"));

        // THEN the fallback timeouts 120/480 s and 8 concurrent starts
        assertEquals(new StreamConfig("arn:p", "arn:d", "https://q", 120, 480, 8), config);
    }

    @Test
    void pollSettingsMustBeOrdered() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> StreamConfig.fromEnvironment(Map.of(
                        "PROVISION_STATE_MACHINE_ARN",
                        "arn:p",
                        "DEPROVISION_STATE_MACHINE_ARN",
                        "arn:d",
                        "DEAD_LETTER_QUEUE_URL",
                        "https://q",
                        "POLL_INITIAL_SECONDS",
                        "900")));
        assertTrue(e.getMessage().contains("POLL_INITIAL_SECONDS"), e.getMessage());
    }
}
