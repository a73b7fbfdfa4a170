package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReleaseCheckTest {

    @Test
    void givenAParseableFinding_whenShown_thenItIsOneLineWithRuleMessageAndPlace() {
        assertEquals(
                "cfn-lint: W2001 Parameter MapName not used. (line 12, column 3)",
                ReleaseCheck.finding("/tmp/a:b/game-server.yaml:12:3:12:10:W2001:Parameter MapName not used."));
    }

    @Test
    void givenAnyOtherLine_whenShown_thenItIsKeptAsItIs() {
        assertEquals(
                "cfn-lint: Template needs to be an object.",
                ReleaseCheck.finding("  Template needs to be an object.  "));
    }
}
