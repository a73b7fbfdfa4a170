package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ConsoleUrlCommandTest {

    private static final String ARN =
            "arn:aws:states:eu-west-1:123456789012:execution:stackfleet-provision:gs-abc-update-g3";

    @Test
    void givenAnExecutionArn_whenRun_thenTheLinkPointsAtTheArnsRegion() {
        StringWriter out = new StringWriter();
        int exit = OpsMain.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "console-url", ARN);

        assertEquals(0, exit);
        assertEquals(
                "https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1" + "#/v2/executions/details/"
                        + ARN,
                out.toString().strip());
    }

    @Test
    void givenJson_whenRun_thenUrlAndArnAreFields() {
        StringWriter out = new StringWriter();
        OpsMain.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "console-url", "--json", ARN);

        assertTrue(Json.parse(out.toString(), "output").get("url").asText().startsWith("https://eu-west-1."));
    }

    @Test
    void givenAChinaPartitionArn_whenLinked_thenTheChinaConsoleIsUsed() {
        assertTrue(ConsoleUrlCommand.of(ARN.replace("arn:aws:", "arn:aws-cn:").replace("eu-west-1", "cn-north-1"))
                .startsWith("https://cn-north-1.console.amazonaws.cn/states/home?region=cn-north-1#"));
    }

    @Test
    void givenSomethingThatIsNotAnExecutionArn_whenRun_thenExitIsOneAndTheErrorShowsTheExpectedForm() {
        StringWriter err = new StringWriter();
        int exit = OpsMain.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                "console-url",
                "arn:aws:states:eu-west-1:123456789012:stateMachine:stackfleet-provision");

        assertEquals(1, exit);
        assertTrue(err.toString().contains("expected arn:aws:states:<region>:<account>:execution:"), err.toString());
    }
}
