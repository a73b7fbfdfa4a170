package dev.stackfleet.ops;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The states an execution went through, read from its history: when each was entered and left, how many
 * times its task was attempted (retries), the last error it saw, and why the execution failed.
 *
 * @param states the state visits in the order they were entered
 * @param failure why the execution failed, if it did
 * @param failStateEnd the Fail state it ended in, if it did (then it is replayed, not redriven)
 */
record ExecutionTimeline(List<StateVisit> states, Optional<Failure> failure, Optional<FailStateEnd> failStateEnd) {

    /**
     * One visit of a state.
     *
     * @param state the state's name
     * @param type {@code Task}, {@code Choice}, {@code Wait}, {@code Fail} ...
     * @param entered when it was entered
     * @param exited when it was left, or {@code null} (still running, or a {@code Fail} state)
     * @param attempts how many times its task was scheduled (0 for states without a task)
     * @param error the last error of its task, or {@code null}
     * @param cause the last cause of its task, or {@code null}
     */
    record StateVisit(
            String state, String type, Instant entered, Instant exited, int attempts, String error, String cause) {

        /** How long the state took, or {@code null} while it has not been left. */
        Duration duration() {
            return exited == null ? null : Duration.between(entered, exited);
        }
    }

    /**
     * Why an execution failed.
     *
     * @param state the state that failed: the last one whose task failed, else the last one entered
     * @param attempts how many times that state's task was attempted
     * @param error the execution's error
     * @param cause the execution's cause
     * @param taskError the failing task's own error, or {@code null}
     * @param taskCause the failing task's own cause, or {@code null}
     */
    record Failure(String state, int attempts, String error, String cause, String taskError, String taskCause) {}

    /** Reads the whole history of an execution (every page), reporting progress on long histories. */
    static ExecutionTimeline read(SfnClient sfn, String executionArn, PrintWriter err) {
        Progress progress = new Progress(err, "reading the history of " + StateMachines.nameOf(executionArn));
        List<HistoryEvent> events = AwsCall.call("states:GetExecutionHistory", executionArn, () -> {
            List<HistoryEvent> all = new ArrayList<>();
            sfn.getExecutionHistoryPaginator(GetExecutionHistoryRequest.builder()
                            .executionArn(executionArn)
                            .includeExecutionData(false)
                            .build())
                    .forEach(page -> {
                        all.addAll(page.events());
                        progress.update(all.size(), "events");
                    });
            return all;
        });
        return of(events);
    }

    /** Builds the timeline from history events in their natural (oldest first) order. */
    static ExecutionTimeline of(List<HistoryEvent> events) {
        List<Visit> visits = new ArrayList<>();
        Failure failure = null;
        for (HistoryEvent event : events) {
            String type = event.typeAsString();
            if (type.endsWith("StateEntered")) {
                visits.add(new Visit(
                        event.stateEnteredEventDetails().name(),
                        type.substring(0, type.length() - "StateEntered".length()),
                        event.timestamp()));
            } else if (type.endsWith("StateExited")) {
                String name = event.stateExitedEventDetails().name();
                lastOpen(visits, name).ifPresent(v -> v.exited = event.timestamp());
            } else if (type.endsWith("Scheduled")) {
                lastOpen(visits, null).ifPresent(v -> v.attempts++);
            } else {
                ErrorAndCause problem = ErrorAndCause.of(event);
                if (problem != null && type.startsWith("Execution")) {
                    failure = failure(visits, problem);
                } else if (problem != null) {
                    lastOpen(visits, null).ifPresent(v -> {
                        v.error = problem.error();
                        v.cause = problem.cause();
                    });
                }
            }
        }
        return new ExecutionTimeline(
                visits.stream().map(Visit::toRecord).toList(), Optional.ofNullable(failure), FailStateEnd.of(events));
    }

    private static Failure failure(List<Visit> visits, ErrorAndCause execution) {
        Visit failing = null;
        for (Visit v : visits) {
            if (v.error != null) {
                failing = v;
            }
        }
        if (failing == null && !visits.isEmpty()) {
            failing = visits.get(visits.size() - 1);
        }
        return failing == null
                ? new Failure(null, 0, execution.error(), execution.cause(), null, null)
                : new Failure(
                        failing.name,
                        failing.attempts,
                        execution.error(),
                        execution.cause(),
                        failing.error,
                        failing.cause);
    }

    /** The most recent visit not yet left, with this name (or any name when {@code null}). */
    private static Optional<Visit> lastOpen(List<Visit> visits, String name) {
        for (int i = visits.size() - 1; i >= 0; i--) {
            Visit v = visits.get(i);
            if (v.exited == null && (name == null || v.name.equals(name))) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The error and cause carried by a failure event of any kind. */
    private record ErrorAndCause(String error, String cause) {

        static ErrorAndCause of(HistoryEvent e) {
            if (e.executionFailedEventDetails() != null) {
                return new ErrorAndCause(
                        e.executionFailedEventDetails().error(),
                        e.executionFailedEventDetails().cause());
            }
            if (e.executionTimedOutEventDetails() != null) {
                return new ErrorAndCause(
                        e.executionTimedOutEventDetails().error(),
                        e.executionTimedOutEventDetails().cause());
            }
            if (e.executionAbortedEventDetails() != null) {
                return new ErrorAndCause(
                        e.executionAbortedEventDetails().error(),
                        e.executionAbortedEventDetails().cause());
            }
            if (e.taskFailedEventDetails() != null) {
                return new ErrorAndCause(
                        e.taskFailedEventDetails().error(),
                        e.taskFailedEventDetails().cause());
            }
            if (e.taskTimedOutEventDetails() != null) {
                return new ErrorAndCause(
                        e.taskTimedOutEventDetails().error(),
                        e.taskTimedOutEventDetails().cause());
            }
            if (e.taskStartFailedEventDetails() != null) {
                return new ErrorAndCause(
                        e.taskStartFailedEventDetails().error(),
                        e.taskStartFailedEventDetails().cause());
            }
            if (e.taskSubmitFailedEventDetails() != null) {
                return new ErrorAndCause(
                        e.taskSubmitFailedEventDetails().error(),
                        e.taskSubmitFailedEventDetails().cause());
            }
            if (e.lambdaFunctionFailedEventDetails() != null) {
                return new ErrorAndCause(
                        e.lambdaFunctionFailedEventDetails().error(),
                        e.lambdaFunctionFailedEventDetails().cause());
            }
            return null;
        }
    }

    /** A visit being assembled from events. */
    private static final class Visit {
        final String name;
        final String type;
        final Instant entered;
        Instant exited;
        int attempts;
        String error;
        String cause;

        Visit(String name, String type, Instant entered) {
            this.name = name;
            this.type = type;
            this.entered = entered;
        }

        StateVisit toRecord() {
            return new StateVisit(name, type, entered, exited, attempts, error, cause);
        }
    }
}
