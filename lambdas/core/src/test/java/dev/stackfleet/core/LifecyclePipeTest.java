package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class LifecyclePipeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theRepositorysDefinitionReadsWithItsTemplateAsCompactJson() {
        LifecyclePipe pipe = LifecyclePipe.read(Path.of("../..").resolve(LifecyclePipe.FILE));

        assertEquals("stackfleet.gameservers", pipe.source());
        assertEquals("GameServer Status Changed", pipe.detailType());
        assertEquals(LifecyclePipe.MAX_FILTERS, pipe.filters().size());
        assertEquals('{', pipe.inputTemplate().charAt(0));
    }

    @Test
    void anUnknownFieldOrMoreFiltersThanAPipeTakesAreRefused() throws Exception {
        String filter = "{\"eventName\": [\"REMOVE\"]}";
        assertThrows(
                IllegalArgumentException.class,
                () -> LifecyclePipe.parse(MAPPER.readTree("{\"source\": \"s\", \"detailType\": \"d\", \"filters\": ["
                        + filter + "], \"inputTemplate\": {}, \"busName\": \"b\"}")));
        String six = String.join(",", Collections.nCopies(6, filter));
        assertThrows(
                IllegalArgumentException.class,
                () -> LifecyclePipe.parse(MAPPER.readTree("{\"source\": \"s\", \"detailType\": \"d\", \"filters\": ["
                        + six + "], \"inputTemplate\": {}}")));
    }
}
