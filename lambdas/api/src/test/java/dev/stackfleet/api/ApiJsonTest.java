package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies read and written as an {@code ObjectMapper} reads and writes them, and refused where it is strict. */
class ApiJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"config\": {\"difficulty\": \"easy\", \"player_count\": 4, \"seed\": null}}",
                "{\"config\": {\"player_count\": 4.0}}",
                "{\"config\": {\"player_count\": 3000000000}}",
                "{\"config\": {\"player_count\": 123456789012345678901234567890}}",
                "{\"a\": [true, false, null, -1, 1.5e3, \"\\u00e9\\n\"], \"b\": {}, \"c\": []}",
                "[1, {\"x\": \"y\"}]",
                "[1e10, 1e-5, 0.1, -0.0, 12345678901234567890.5]",
                "\"text\""
            })
    void readsTheTreeAnObjectMapperReadsAndWritesItsText(String json) throws IOException {
        JsonNode expected = MAPPER.readTree(json);

        JsonNode tree = ApiJson.read(json.getBytes(StandardCharsets.UTF_8));

        assertEquals(expected, tree);
        assertEquals(MAPPER.writeValueAsString(expected), ApiJson.write(tree));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{\"config\": {}, \"config\": {}}", "{\"config\": {}} {}", "{\"config\": {}} x", "{\"config\": "
            })
    void refusesDuplicatesTrailingValuesAndTruncatedInput(String json) {
        assertThrows(JsonProcessingException.class, () -> ApiJson.read(json.getBytes(StandardCharsets.UTF_8)));
    }
}
