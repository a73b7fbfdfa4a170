package dev.stackfleet.cdk;

import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The alarms an operator of stackfleet acts on: a workflow failed, a stream record landed in the
 * dead-letter queue, the stream Lambda falls behind, the API answers with server errors, a reconcile
 * pass found orphan stacks or stuck servers or could not check something, or failed itself. When
 * {@link Config#alarmTopicArn()} is set, each alarm notifies that topic.
 */
public final class OperationalAlarms extends Construct {

    /** Stream records older than this mean executions start late; the stream keeps records 24 hours. */
    static final Duration ITERATOR_AGE_LIMIT = Duration.minutes(10);

    /** What is watched. */
    public record Props(
            IStateMachine provision,
            IStateMachine deprovision,
            IQueue deadLetterQueue,
            IFunction streamFunction,
            HttpApi httpApi,
            IFunction reconcilerFunction,
            Metric orphanStacks,
            Metric stuckServers,
            Metric unresolved,
            Optional<String> alarmTopicArn) {}

    private final List<Alarm> alarms;

    public OperationalAlarms(Construct scope, String id, Props props) {
        super(scope, id);
        MetricOptions fiveMinutes =
                MetricOptions.builder().period(Duration.minutes(5)).build();
        alarms = List.of(
                atLeastOne(
                        "ProvisionFailed",
                        "A provision execution failed: see the game server's status_reason",
                        props.provision().metricFailed(fiveMinutes)),
                atLeastOne(
                        "DeprovisionFailed",
                        "A deprovision execution failed: its stack may still exist",
                        props.deprovision().metricFailed(fiveMinutes)),
                atLeastOne(
                        "DeadLetters",
                        "Stream records could not start an execution: replay them from the dead-letter queue",
                        props.deadLetterQueue()
                                .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                        .period(Duration.minutes(5))
                                        .statistic("Maximum")
                                        .build())),
                Alarm.Builder.create(this, "StreamIteratorAge")
                        .alarmDescription("The stream Lambda is behind: changes wait more than "
                                + ITERATOR_AGE_LIMIT.toMinutes() + " minutes for their execution")
                        .metric(props.streamFunction()
                                .metric(
                                        "IteratorAge",
                                        MetricOptions.builder()
                                                .period(Duration.minutes(5))
                                                .statistic("Maximum")
                                                .build()))
                        .threshold(ITERATOR_AGE_LIMIT.toMilliseconds())
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .evaluationPeriods(2)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build(),
                atLeastOne(
                        "ApiServerErrors",
                        "The API answered with 5xx: see the API Lambdas' logs",
                        props.httpApi().metricServerError(fiveMinutes)),
                passCount(
                        "OrphanStacks",
                        "A reconcile pass found stackfleet stacks without an item: see its log or "
                                + "./stackfleet ops reconcile --dry-run, then ./stackfleet ops reconcile --delete-orphans --yes",
                        props.orphanStacks()),
                passCount(
                        "StuckServers",
                        "A reconcile pass found servers pending or in progress with no running "
                                + "execution and restarted them: see its log for why they were lost",
                        props.stuckServers()),
                passCount(
                        "Unresolved",
                        "A reconcile pass could not check or repair something (an account whose stacks "
                                + "it cannot list, a malformed item): its drift and orphan checks there are off until fixed; "
                                + "see its log or ./stackfleet ops reconcile --dry-run",
                        props.unresolved()),
                atLeastOne(
                        "ReconcilerErrors",
                        "A reconcile pass failed (table unreadable, or out of time): see the "
                                + "reconciler's log; the next scheduled pass tries again",
                        props.reconcilerFunction().metricErrors(fiveMinutes)));
        props.alarmTopicArn().ifPresent(arn -> {
            SnsAction notify = new SnsAction(Topic.fromTopicArn(this, "AlarmTopic", arn));
            alarms.forEach(alarm -> alarm.addAlarmAction(notify));
        });
    }

    private Alarm atLeastOne(String id, String description, Metric metric) {
        return Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    /**
     * A count each reconcile pass reports: the alarm keeps its state between passes (a period without a
     * pass is missing data, not zero), so a lasting finding does not flip it to OK and back.
     */
    private Alarm passCount(String id, String description, Metric metric) {
        return Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.IGNORE)
                .build();
    }

    public List<Alarm> alarms() {
        return alarms;
    }
}
