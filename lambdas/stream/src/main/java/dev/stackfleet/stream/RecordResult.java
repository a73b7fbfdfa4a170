package dev.stackfleet.stream;

/**
 * What happened to one record of a batch, for the log line and the response.
 *
 * @param eventId the record's event ID ({@code record.eventID} in Lambda's JSON)
 * @param sequenceNumber its {@code dynamodb.SequenceNumber}
 * @param eventName INSERT, MODIFY or REMOVE
 * @param server {@code owner/gameserver_id} from the record's keys, or {@code ?}
 * @param intent the intent's word, or {@code none}
 * @param executionName the execution's name, or {@code -}
 * @param outcome {@code started}, {@code already started}, {@code ignored: why}, {@code dead-lettered: why},
 *                {@code retry: why} or {@code redelivered: why}
 * @param retry true for the record Lambda must deliver again from (the checkpoint)
 */
public record RecordResult(
        String eventId,
        String sequenceNumber,
        String eventName,
        String server,
        String intent,
        String executionName,
        String outcome,
        boolean retry) {

    /** The one log line for this record. */
    public String logLine() {
        return "record=" + eventId + " seq=" + sequenceNumber + " event=" + eventName + " server=" + server + " intent="
                + intent + " execution=" + executionName + " outcome=" + outcome;
    }
}
