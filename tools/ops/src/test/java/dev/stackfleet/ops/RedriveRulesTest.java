package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.ExecutionName;
import dev.stackfleet.core.Intent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.SfnException;

class RedriveRulesTest {

    private static final String ID = "gs-0123456789abcdefghij";

    @Test
    void givenAnUpdateOfAnOlderGeneration_whenChecked_thenItIsSuperseded() {
        Optional<String> reason =
                Redrives.supersededBy(ExecutionName.of(ID, Intent.UPDATE, 2), Optional.of(server(3, false)));

        assertTrue(reason.orElseThrow().contains("generation 3"), reason.toString());
    }

    @Test
    void givenTheCurrentGeneration_whenChecked_thenItMayBeRedriven() {
        assertEquals(
                Optional.empty(),
                Redrives.supersededBy(ExecutionName.of(ID, Intent.UPDATE, 3), Optional.of(server(3, false))));
    }

    @Test
    void givenAnUpdateAfterDeletionWasRequested_whenChecked_thenItIsSuperseded() {
        assertTrue(Redrives.supersededBy(ExecutionName.of(ID, Intent.UPDATE, 3), Optional.of(server(3, true)))
                .isPresent());
    }

    @Test
    void givenADeleteOfARemovedItem_whenChecked_thenItMayBeRedrivenButACreateMayNot() {
        assertEquals(Optional.empty(), Redrives.supersededBy(ExecutionName.of(ID, Intent.DELETE, 3), Optional.empty()));
        assertTrue(Redrives.supersededBy(ExecutionName.of(ID, Intent.CREATE, 1), Optional.empty())
                .isPresent());
    }

    @Test
    void givenALaterReplayOfTheSameIntent_whenChecked_thenTheEarlierAttemptIsNotRedrivenButTheLatestIs() {
        ExecutionName original = ExecutionName.of(ID, Intent.UPDATE, 2);
        List<Execution> attempts = List.of(attempt(original, "FAILED"), attempt(original.replayed(1), "RUNNING"));

        assertEquals(
                Optional.of("a later attempt exists: " + ID + "-update-g2-r1 (RUNNING)"),
                Redrives.laterAttempt(original, attempts));
        assertEquals(Optional.empty(), Redrives.laterAttempt(original.replayed(1), attempts));
    }

    @Test
    void givenTheSameExecution_whenTokensAreDerived_thenARetryReusesItAndALaterRedriveDoesNot() {
        Execution first = execution(0);

        assertEquals(Redrives.clientToken(first), Redrives.clientToken(execution(0)));
        assertNotEquals(Redrives.clientToken(first), Redrives.clientToken(execution(1)));
        assertTrue(Redrives.clientToken(first).length() <= 64);
    }

    @Test
    void givenAccessDenied_whenExplained_thenTheMissingActionAndResourceAreNamed() {
        SfnException denied = (SfnException) SfnException.builder()
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage("not authorized")
                        .build())
                .build();

        OpsException e = AwsCall.explain(denied, "states:RedriveExecution", "arn:x");

        assertTrue(e.getMessage().startsWith("access denied: needs states:RedriveExecution on arn:x"), e.getMessage());
    }

    private static ServerView server(long generation, boolean deleteRequested) {
        return ServerView.from(Map.of(
                "owner", AttributeValue.fromS("alice"),
                "gameserver_id", AttributeValue.fromS(ID),
                "generation", AttributeValue.fromN(Long.toString(generation)),
                "delete_requested", AttributeValue.fromBool(deleteRequested)));
    }

    private static Execution attempt(ExecutionName name, String status) {
        return new Execution(
                name.toString(),
                "arn:aws:states:us-east-1:123456789012:execution:p:" + name,
                status,
                null,
                null,
                null,
                null,
                null,
                0,
                null,
                null);
    }

    private static Execution execution(int redriveCount) {
        return new Execution(
                "n",
                "arn:aws:states:us-east-1:123456789012:execution:p:n",
                "FAILED",
                null,
                null,
                null,
                null,
                null,
                redriveCount,
                null,
                null);
    }
}
