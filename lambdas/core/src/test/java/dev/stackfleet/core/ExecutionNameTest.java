package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExecutionNameTest {

    private static final String ID = "gs-abcdefghijklmnopqrst";

    @Test
    void namesAreDeterministicPerIntent() {
        assertEquals(ID + "-create-g1", ExecutionName.of(ID, Intent.CREATE, 1).toString());
        assertEquals(ID + "-update-g3", ExecutionName.of(ID, Intent.UPDATE, 3).toString());
        assertEquals(
                ID + "-delete-g3-r2",
                ExecutionName.of(ID, Intent.DELETE, 3).replayed(2).toString());
    }

    @Test
    void namesParseBack() {
        ExecutionName name = ExecutionName.of(ID, Intent.UPDATE, 12).replayed(4);
        assertEquals(name, ExecutionName.parse(name.toString()));
    }

    @Test
    void namesStayWithinStepFunctionsLimits() {
        String longest = ExecutionName.of(ID, Intent.UPDATE, Long.MAX_VALUE)
                .replayed(Integer.MAX_VALUE)
                .toString();
        assertTrue(longest.length() <= ExecutionName.MAX_LENGTH, longest);
        assertTrue(longest.matches("[A-Za-z0-9_-]+"), longest);
    }

    @Test
    void foreignNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExecutionName.parse("0b6c2f1e-some-uuid"));
        assertThrows(IllegalArgumentException.class, () -> ExecutionName.of(ID, Intent.CREATE, 0));
    }
}
