package dev.stackfleet.ops;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * One workflow execution as DescribeExecution reports it.
 *
 * @param name the execution name, e.g. {@code gs-...-update-g3}
 * @param arn the execution ARN
 * @param status {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT}, {@code ABORTED} ...
 * @param startDate when it started
 * @param stopDate when it ended, or {@code null} while running
 * @param input the execution input (JSON text)
 * @param error the error of a failed execution, or {@code null}
 * @param cause the cause of a failed execution, or {@code null}
 * @param redriveCount how often it was redriven, or {@code null} if not reported
 * @param redriveStatus whether it can be redriven, or {@code null} if not reported
 * @param redriveStatusReason why it cannot be redriven, or {@code null}
 */
record Execution(
        String name,
        String arn,
        String status,
        Instant startDate,
        Instant stopDate,
        @JsonIgnore String input,
        String error,
        String cause,
        Integer redriveCount,
        String redriveStatus,
        String redriveStatusReason) {

    static Execution from(DescribeExecutionResponse r) {
        return new Execution(
                r.name(),
                r.executionArn(),
                r.statusAsString(),
                r.startDate(),
                r.stopDate(),
                r.input(),
                r.error(),
                r.cause(),
                r.redriveCount(),
                r.redriveStatusAsString(),
                r.redriveStatusReason());
    }

    /** How long it ran, up to {@code now} while it is still running. */
    Duration duration(Instant now) {
        return startDate == null ? null : Duration.between(startDate, stopDate == null ? now : stopDate);
    }

    /** The execution input parsed. */
    @JsonIgnore
    JsonNode inputJson() {
        return Json.parse(input, "the input of " + arn);
    }
}
