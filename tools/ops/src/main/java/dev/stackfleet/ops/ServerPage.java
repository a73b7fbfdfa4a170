package dev.stackfleet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The console's page of one server: its desired and observed state, every execution for it (create, updates,
 * delete, replays; {@link ServerExecutions}), and for the chosen one the state machine with the path taken
 * ({@link StateGraph}), the failure ({@link ExecutionTimeline}), the workload stack's events beside the state that
 * caused them ({@link WorkloadStack}), and the replay or redrive that can fix it ({@link ConsoleActions}).
 */
final class ServerPage {

    private final OpsMain ops;
    private final ConsoleActions actions;
    private final String stackReaderRole;

    ServerPage(OpsMain ops, ConsoleActions actions, String stackReaderRole) {
        this.ops = ops;
        this.actions = actions;
        this.stackReaderRole = stackReaderRole;
    }

    /**
     * The page for the query parameters {@code id}, optionally {@code owner} (saves looking it up) and
     * {@code execution} (an execution name; by default the one that wrote the status, else the newest).
     */
    String render(Map<String, String> params) {
        String id = params.get("id");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("which server? pass ?id=<gameserver_id>");
        }
        Instant now = Instant.now();
        Optional<ServerView> server = ops.locator().find(id, params.get("owner"));
        List<Execution> executions = ops.executions()
                .of(id, server.map(s -> OptionalLong.of(s.generation())).orElse(OptionalLong.empty()));
        StringBuilder body = new StringBuilder("<h1>" + Html.esc(id) + "</h1>");
        body.append(server.map(s -> state(s, now))
                .orElse("<p class=\"box\">No item: the server was deleted, or never created.</p>"));
        server.ifPresent(s -> body.append(actions.replayOffer(s)));
        if (executions.isEmpty()) {
            body.append("<p class=\"note\">No executions found for this server.</p>");
            return Html.page(id, body.toString(), null);
        }
        Execution chosen = chosen(executions, server, params.get("execution"));
        body.append(executions(executions, chosen, server, now)).append(execution(chosen, now));
        return Html.page(id, body.toString(), null);
    }

    private static Execution chosen(List<Execution> executions, Optional<ServerView> server, String name) {
        if (name != null) {
            return executions.stream()
                    .filter(e -> e.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the server has no execution " + name));
        }
        String wroteStatus = server.map(ServerView::executionArn).orElse(null);
        return executions.stream()
                .filter(e -> e.arn().equals(wroteStatus))
                .findFirst()
                .orElse(executions.get(0));
    }

    private static String state(ServerView s, Instant now) {
        StringBuilder html = new StringBuilder("<table id=\"server-state\">");
        row(html, "owner", Html.esc(s.owner()));
        row(
                html,
                "status",
                Html.status(s.status()) + (s.paused() ? " (paused: " + Html.esc(s.pauseReason()) + ")" : ""));
        if (s.statusReason() != null) {
            row(html, "reason", Html.esc(s.statusReason()));
        }
        row(html, "desired generation / observed", Html.esc(ServersCommand.generations(s)));
        row(html, "desired release / observed", Html.esc(ServersCommand.releases(s)));
        row(html, "desired config", "<code>" + Html.esc(Json.write(s.config())) + "</code>");
        row(html, "deletion requested", s.deleteRequested() ? "yes" : "no");
        row(
                html,
                "placement",
                Html.esc("account " + s.placement().accountId() + ", "
                        + s.placement().region() + ", stack " + s.stackName()));
        row(html, "changed", Html.esc(s.updatedAt() + " (" + Formats.age(s.updatedAt(), now) + ")"));
        return html.append("</table>").toString();
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(name).append("</th><td>").append(value).append("</td></tr>");
    }

    private static String executions(
            List<Execution> executions, Execution chosen, Optional<ServerView> server, Instant now) {
        StringBuilder html = new StringBuilder("<h2>Executions, newest first</h2><table id=\"executions\"><tr>"
                + "<th>execution</th><th>status</th><th>started</th><th>took</th><th>redriven</th><th>error</th></tr>");
        for (Execution e : executions) {
            html.append("<tr")
                    .append(e.equals(chosen) ? " class=\"chosen\"" : "")
                    .append("><td>")
                    .append(Html.link(
                            Html.href(
                                    "/server",
                                    params(
                                            Redrives.serverOf(e.name()).orElse(""),
                                            server.map(ServerView::owner).orElse(null),
                                            e.name())),
                            e.name()))
                    .append("</td><td>")
                    .append(Html.status(e.status()))
                    .append("</td><td>")
                    .append(Html.esc(e.startDate()))
                    .append("</td><td>")
                    .append(Html.esc(Formats.duration(e.duration(now))))
                    .append("</td><td>")
                    .append(e.redriveCount() == null ? 0 : e.redriveCount())
                    .append("</td><td>")
                    .append(Html.esc(e.error()))
                    .append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    static Map<String, String> params(String id, String owner, String execution) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", id);
        params.put("owner", owner);
        params.put("execution", execution);
        return params;
    }

    /** The chosen execution: summary, failure, graph, and the states with the stack events they caused. */
    private String execution(Execution e, Instant now) {
        ExecutionTimeline timeline = ExecutionTimeline.read(ops.clients().sfn(), e.arn(), ops.err());
        WorkloadStack stack = WorkloadStack.forExecution(ops.clients(), e, stackReaderRole);
        StringBuilder html = new StringBuilder("<h2>Execution " + Html.esc(e.name()) + "</h2>");
        html.append("<p>")
                .append(Html.status(e.status()))
                .append(", started ")
                .append(Html.esc(e.startDate()))
                .append(", took ")
                .append(Html.esc(Formats.duration(e.duration(now))))
                .append(" · <a href=\"")
                .append(Html.esc(ConsoleUrlCommand.of(e.arn())))
                .append("\">AWS console</a></p>");
        timeline.failure().ifPresent(f -> {
            html.append("<div class=\"box failure\" id=\"failure\"><b>Why it failed</b><br>state <b>")
                    .append(Html.esc(f.state()))
                    .append("</b>")
                    .append(f.attempts() > 1 ? " (" + f.attempts() + " attempts)" : "")
                    .append("<br>error <b>")
                    .append(Html.esc(f.error()))
                    .append("</b>: ")
                    .append(Html.esc(f.cause()));
            if (f.taskError() != null) {
                html.append("<br>task ")
                        .append(Html.esc(f.taskError()))
                        .append(": ")
                        .append(Html.esc(f.taskCause()));
            }
            html.append("<br><span class=\"note\">next: ")
                    .append(Html.esc(HistoryCommand.nextStep(e, timeline)))
                    .append("</span></div>");
        });
        html.append(actions.redriveOffer(e));
        String failing =
                timeline.failure().map(ExecutionTimeline.Failure::state).orElse(null);
        Optional<JsonNode> definition = definition(e);
        html.append("<h2>Path taken</h2>");
        if (definition.isPresent()) {
            html.append("<div class=\"box\" style=\"overflow:auto\">")
                    .append(StateGraph.svg(
                            definition.get(),
                            timeline.states().stream()
                                    .map(ExecutionTimeline.StateVisit::state)
                                    .toList(),
                            failing))
                    .append("</div>");
        } else {
            html.append("<p class=\"note\">The state machine's definition is not readable; the states below are"
                    + " from the execution's history.</p>");
        }
        html.append(states(e, timeline, stack, definition, failing, now));
        return html.toString();
    }

    /** The state machine's current definition, read with DescribeStateMachine. */
    private Optional<JsonNode> definition(Execution e) {
        String[] arn = StateMachines.executionArnParts(e.arn());
        String machine = String.join(":", arn[0], arn[1], arn[2], arn[3], arn[4], "stateMachine", arn[6]);
        try {
            String text = AwsCall.call(
                    "states:DescribeStateMachine",
                    machine,
                    () -> ops.clients()
                            .sfn()
                            .describeStateMachine(b -> b.stateMachineArn(machine))
                            .definition());
            return Optional.of(Json.parse(text, "the definition of " + machine));
        } catch (OpsException notReadable) {
            ops.err().println("note: " + notReadable.getMessage());
            return Optional.empty();
        }
    }

    private static String states(
            Execution e,
            ExecutionTimeline timeline,
            WorkloadStack stack,
            Optional<JsonNode> definition,
            String failing,
            Instant now) {
        Map<ExecutionTimeline.StateVisit, List<WorkloadStack.Event>> caused =
                causedEvents(e, timeline, stack, definition, now);
        StringBuilder html = new StringBuilder("<h2>States</h2><table id=\"states\"><tr><th>state</th><th>type</th>"
                + "<th>at</th><th>took</th><th>attempts</th><th>result</th><th>stack events it caused</th></tr>");
        for (ExecutionTimeline.StateVisit v : timeline.states()) {
            boolean isFailing = v.state().equals(failing);
            html.append("<tr")
                    .append(isFailing ? " class=\"chosen\" id=\"failing-state\"" : "")
                    .append("><td>")
                    .append(Html.esc(v.state()))
                    .append("</td><td>")
                    .append(Html.esc(v.type()))
                    .append("</td><td>+")
                    .append(Html.esc(Formats.duration(Duration.between(e.startDate(), v.entered()))))
                    .append("</td><td>")
                    .append(Html.esc(Formats.duration(v.duration())))
                    .append("</td><td>")
                    .append(v.attempts() == 0 ? "" : v.attempts())
                    .append("</td><td>")
                    .append(
                            v.error() != null
                                    ? Html.status("FAILED") + " " + Html.esc(v.error() + ": " + v.cause())
                                    : v.exited() == null ? "not left" : "ok")
                    .append("</td><td>");
            for (WorkloadStack.Event ev : caused.getOrDefault(v, List.of())) {
                html.append("<div class=\"stack-event\">")
                        .append(Html.esc(ev.logicalId()))
                        .append(" ")
                        .append(Html.status(ev.status()))
                        .append(ev.reason() == null ? "" : " " + Html.esc(ev.reason()))
                        .append("</div>");
            }
            html.append("</td></tr>");
        }
        html.append("</table>");
        html.append("<p class=\"note\">Stack ")
                .append(Html.esc(stack.stackName()))
                .append(" in account ")
                .append(Html.esc(stack.accountId()))
                .append(" (read as ")
                .append(Html.esc(stack.roleArn()))
                .append("): ")
                .append(
                        stack.unavailable() != null
                                ? "not readable: " + Html.esc(stack.unavailable())
                                : Html.esc(stack.status())
                                        + (stack.statusReason() == null ? "" : " " + Html.esc(stack.statusReason())))
                .append("</p>");
        return html.toString();
    }

    /**
     * Each stack event of the execution's time beside the state that caused it: the latest visit, entered before
     * the event, of a state that writes the stack (a Task calling CloudFormation other than a describe).
     */
    static Map<ExecutionTimeline.StateVisit, List<WorkloadStack.Event>> causedEvents(
            Execution e, ExecutionTimeline timeline, WorkloadStack stack, Optional<JsonNode> definition, Instant now) {
        List<ExecutionTimeline.StateVisit> writers = timeline.states().stream()
                .filter(v -> writesStack(definition, v.state()))
                .toList();
        Instant end = e.stopDate() == null ? now : e.stopDate();
        Map<ExecutionTimeline.StateVisit, List<WorkloadStack.Event>> caused = new LinkedHashMap<>();
        stack.events().stream()
                .filter(ev -> ev.timestamp() != null && !ev.timestamp().isAfter(end))
                .sorted(Comparator.comparing(WorkloadStack.Event::timestamp))
                .forEach(ev -> writers.stream()
                        .filter(v -> !v.entered().isAfter(ev.timestamp()))
                        .reduce((first, second) -> second)
                        .ifPresent(v -> caused.computeIfAbsent(v, k -> new ArrayList<>())
                                .add(ev)));
        return caused;
    }

    private static boolean writesStack(Optional<JsonNode> definition, String state) {
        String resource = definition
                .map(d -> d.path("States").path(state).path("Resource").asText(""))
                .orElse("");
        return resource.contains(":cloudformation:") && !resource.contains(":cloudformation:describe");
    }
}
