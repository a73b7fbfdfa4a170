package dev.stackfleet.stream;

/** What became of one StartExecution. */
public sealed interface StartOutcome {

    /** The execution exists now (newly started, or Step Functions accepted the same name and input again). */
    record Started(String executionArn) implements StartOutcome {}

    /** An execution of that name already exists: this intent was started before, so it is done. */
    record AlreadyStarted() implements StartOutcome {}

    /** Step Functions refused the request as invalid; retrying cannot help (goes to the dead-letter queue). */
    record Rejected(String reason) implements StartOutcome {}

    /** A transient failure (throttling, 5xx, network, timeout): retry the record. */
    record Failed(String reason) implements StartOutcome {}

    /** Not tried, because an earlier record of the same server failed first; retried with it. */
    record NotAttempted(String reason) implements StartOutcome {}

    /** True when the intent's execution exists. */
    default boolean succeeded() {
        return this instanceof Started || this instanceof AlreadyStarted;
    }

    /** True when the record must be delivered again. */
    default boolean retry() {
        return this instanceof Failed || this instanceof NotAttempted;
    }
}
