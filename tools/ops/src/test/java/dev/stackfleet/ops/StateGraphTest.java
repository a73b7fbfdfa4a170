package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StateGraphTest {

    private static final JsonNode DEFINITION = Json.parse("""
            {"StartAt": "Create", "States": {
              "Create": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:cloudformation:createStack",
                         "Next": "Wait", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "RecordFailed"}]},
              "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Describe"},
              "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:cloudformation:describeStacks",
                           "Next": "Stable"},
              "Stable": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "Done"}],
                         "Default": "Wait"},
              "Done": {"Type": "Succeed"},
              "RecordFailed": {"Type": "Pass", "Next": "Fail"},
              "Fail": {"Type": "Fail"},
              "Orphan": {"Type": "Pass", "End": true}
            }}
            """, "the definition");

    @Test
    void givenADefinition_whenItsTransitionsAreRead_thenNextDefaultChoicesAndCatchesAllCount() {
        Map<String, List<String>> next = StateGraph.transitions(DEFINITION.path("States"));

        assertEquals(List.of("Wait", "RecordFailed"), next.get("Create"));
        assertEquals(List.of("Wait", "Done"), next.get("Stable"));
        assertEquals(List.of(), next.get("Fail"));
        assertEquals(8, next.size());
    }

    @Test
    void givenAFailedPath_whenDrawn_thenEveryStateIsDrawnTheVisitedFilledAndOnlyTheFailingOneRed() {
        String svg = StateGraph.svg(DEFINITION, List.of("Create", "RecordFailed", "Fail"), "Create");

        assertEquals(8, count(svg, "<g class=\"state"));
        assertTrue(svg.contains("<g class=\"state visited failing\" data-state=\"Create\">"), svg);
        assertTrue(svg.contains("<g class=\"state visited\" data-state=\"RecordFailed\">"), svg);
        assertTrue(svg.contains("<g class=\"state\" data-state=\"Wait\">"), svg);
        assertEquals(1, count(svg, "failing"));
        // Create -> RecordFailed and RecordFailed -> Fail, drawn bold
        assertEquals(2, count(svg, "class=\"taken\""));
    }

    @Test
    void givenAPollLoop_whenDrawn_thenTheLoopIsTakenOnceAndAStateEnteredTwiceSaysSo() {
        String svg = StateGraph.svg(
                DEFINITION,
                List.of("Create", "Wait", "Describe", "Stable", "Wait", "Describe", "Stable", "Done"),
                null);

        assertTrue(svg.contains("Wait ×2"), svg);
        // Create>Wait, Wait>Describe, Describe>Stable, Stable>Wait (back up: a curve), Stable>Done
        assertEquals(5, count(svg, "class=\"taken\""));
        assertTrue(
                Pattern.compile("<path d=\"M[^\"]*\" fill=\"none\" stroke=\"#1b1f24\"")
                        .matcher(svg)
                        .find(),
                svg);
        assertEquals(0, count(svg, "failing"));
    }

    @Test
    void givenAStateNameWithMarkup_whenDrawn_thenItIsEscaped() {
        JsonNode definition = Json.parse(
                "{\"StartAt\": \"<b>\", \"States\": {\"<b>\": {\"Type\": \"Pass\", \"End\": true}}}", "definition");

        String svg = StateGraph.svg(definition, List.of("<b>"), null);

        assertTrue(svg.contains("data-state=\"&lt;b&gt;\""), svg);
        assertTrue(!svg.contains("<b>"), svg);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
