package dev.stackfleet.stream;

/** A stream record that can never start an execution as it is: it goes to the dead-letter queue. */
final class MalformedRecordException extends RuntimeException {

    MalformedRecordException(String reason) {
        super(reason);
    }
}
