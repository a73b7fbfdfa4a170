package dev.stackfleet.ops;

import dev.stackfleet.core.ExecutionInput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's only writes: replay a server and redrive an execution, by the same rules as {@code ops replay}
 * ({@link Replays}) and {@code ops redrive} ({@link Redrives}). Each is offered on the server page only when its
 * rules allow it, then shown on a confirmation page with exactly the call it will make, and made by a POST from
 * that page carrying the console's token. The POST plans again and refuses when the plan changed meanwhile
 * (another replay started, the execution was redriven), so what runs is what was confirmed.
 */
final class ConsoleActions {

    /**
     * What a POST leads to: a page to show, or a place to go.
     *
     * @param status the HTTP status
     * @param html the page, or {@code null} with a redirect
     * @param location where to go (303), or {@code null}
     */
    record Outcome(int status, String html, String location) {}

    private final OpsMain ops;
    private final ExecutionInput.Poll poll;
    private final String token;

    /**
     * @param poll the poll settings a replay's input carries
     * @param token the console's per-process token every form carries
     */
    ConsoleActions(OpsMain ops, ExecutionInput.Poll poll, String token) {
        this.ops = ops;
        this.poll = poll;
        this.token = token;
    }

    /**
     * The replay button of a server page, or why it cannot be replayed now; for a create or update whose release is
     * not the current one, also the replay onto the current release (the fix for a failure its release caused).
     */
    String replayOffer(ServerView server) {
        try {
            Replays.Replay replay = replays().next(server, poll);
            StringBuilder offer = new StringBuilder("<p id=\"replay-offer\">")
                    .append(replayButton(server, null, "replay", "Replay…"))
                    .append(" <span class=\"note\">starts ")
                    .append(Html.esc(replay.name()))
                    .append(", a fresh execution of the current intent")
                    .append(replay.release() == null ? "" : " on its release " + Html.esc(replay.release()))
                    .append("</span>");
            currentReleaseOtherThan(server)
                    .ifPresent(
                            current -> offer.append("<br>")
                                    .append(replayButton(
                                            server, current, "replay-current", "Replay on release " + current + "…"))
                                    .append(
                                            " <span class=\"note\">the current release: the server is pointed at it first</span>"));
            return offer.append("</p>").toString();
        } catch (OpsException e) {
            return "<p class=\"note\" id=\"replay-offer\">Replay not possible now: " + Html.esc(e.getMessage())
                    + "</p>";
        }
    }

    private static String replayButton(ServerView server, String release, String id, String text) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("action", "replay");
        params.put("id", server.gameServerId());
        params.put("owner", server.owner());
        params.put("release", release);
        return Html.link(Html.href("/confirm", params), text).replace("<a ", "<a class=\"button\" id=\"" + id + "\" ");
    }

    /** The current release, for a create or update that converges to another one. */
    private Optional<String> currentReleaseOtherThan(ServerView server) {
        if (server.deleteRequested()) {
            return Optional.empty();
        }
        return ops.releaseVersion("current").filter(version -> !version.equals(server.release()));
    }

    /** The redrive button for an execution that stopped unsuccessfully, or why redrive cannot help it. */
    String redriveOffer(Execution execution) {
        if (!FailedExecutions.STATUSES.stream().map(Object::toString).toList().contains(execution.status())) {
            return "";
        }
        Optional<String> refusal = redrives().refusal(execution, false);
        if (refusal.isPresent()) {
            return "<p class=\"note\" id=\"redrive-offer\">Redrive: " + Html.esc(refusal.get()) + "</p>";
        }
        return "<p id=\"redrive-offer\">"
                + Html.link(
                                Html.href("/confirm", Map.of("action", "redrive", "execution", execution.arn())),
                                "Redrive…")
                        .replace("<a ", "<a class=\"button\" id=\"redrive\" ")
                + " <span class=\"note\">resumes it at the state where it stopped</span></p>";
    }

    /** The confirmation page of an action: the call it will make, and the button that makes it. */
    String confirm(Map<String, String> params) {
        String action = required(params, "action");
        return switch (action) {
            case "replay" -> confirmReplay(server(params), release(params));
            case "redrive" -> confirmRedrive(ops.executions().describeExisting(required(params, "execution")));
            default -> throw new IllegalArgumentException("no action " + action + " (replay or redrive)");
        };
    }

    private String confirmReplay(ServerView server, String release) {
        Replays.Replay replay;
        try {
            replay = replays().next(server, poll, release);
        } catch (OpsException e) {
            return refused("Replay " + server.gameServerId(), e.getMessage(), server.gameServerId(), server.owner());
        }
        String body = "<h1>Replay " + Html.esc(server.gameServerId()) + "?</h1><div class=\"box\" id=\"plan\">"
                + (replay.retargets()
                        ? "<p>This makes two calls: <b>dynamodb:UpdateItem</b> pointing the server at release "
                                + Html.esc(replay.release()) + " (from " + Html.esc(server.release())
                                + "), only while it is still " + Html.esc(server.status()) + " at generation "
                                + server.generation() + ", then <b>states:StartExecution</b></p><table>"
                        : "<p>This makes one call: <b>states:StartExecution</b></p><table>")
                + "<tr><th>state machine</th><td>" + Html.esc(replay.stateMachineArn()) + "</td></tr>"
                + "<tr><th>name</th><td>" + Html.esc(replay.name()) + "</td></tr>"
                + "<tr><th>input</th><td><pre>" + Html.esc(pretty(replay.input())) + "</pre></td></tr></table>"
                + "<p class=\"note\">The input is built from the item as the stream builds it; the server is "
                + Html.esc(server.status()) + ".</p></div>"
                + form(replayFields(server, replay), "Start " + replay.name(), server.gameServerId(), server.owner());
        return Html.page("replay " + server.gameServerId(), body, null);
    }

    private static Map<String, String> replayFields(ServerView server, Replays.Replay replay) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("action", "replay");
        fields.put("id", server.gameServerId());
        fields.put("owner", server.owner());
        fields.put("expect", replay.name().toString());
        if (replay.retargets()) {
            fields.put("release", replay.release());
        }
        return fields;
    }

    private String confirmRedrive(Execution execution) {
        String id = Redrives.serverOf(execution.name()).orElse(null);
        Optional<String> refusal = redrives().refusal(execution, false);
        if (refusal.isPresent()) {
            return refused("Redrive " + execution.name(), refusal.get(), id, null);
        }
        int count = execution.redriveCount() == null ? 0 : execution.redriveCount();
        String body = "<h1>Redrive " + Html.esc(execution.name()) + "?</h1><div class=\"box\" id=\"plan\">"
                + "<p>This makes one call: <b>states:RedriveExecution</b></p><table>"
                + "<tr><th>execution</th><td>" + Html.esc(execution.arn()) + "</td></tr>"
                + "<tr><th>now</th><td>" + Html.esc(execution.status() + " " + execution.error()) + "</td></tr>"
                + "<tr><th>redriven before</th><td>" + count + " times</td></tr>"
                + "<tr><th>client token</th><td>" + Html.esc(Redrives.clientToken(execution)) + "</td></tr></table>"
                + "<p class=\"note\">It resumes the execution at the state where it stopped.</p></div>"
                + form(
                        Map.of("action", "redrive", "execution", execution.arn(), "expect", Integer.toString(count)),
                        "Redrive " + execution.name(),
                        id,
                        null);
        return Html.page("redrive " + execution.name(), body, null);
    }

    /** Makes a confirmed action, if its plan is still the one confirmed. The caller checked the token. */
    Outcome act(Map<String, String> form) {
        String action = required(form, "action");
        String expect = required(form, "expect");
        return switch (action) {
            case "replay" -> {
                ServerView server = server(form);
                Replays.Replay replay = replays().next(server, poll, release(form));
                if (!replay.name().toString().equals(expect)) {
                    yield changed("the replay would now be " + replay.name() + ", not " + expect);
                }
                replays().start(replay);
                yield new Outcome(
                        303,
                        null,
                        Html.href("/server", ServerPage.params(server.gameServerId(), server.owner(), expect)));
            }
            case "redrive" -> {
                Execution execution = ops.executions().describeExisting(required(form, "execution"));
                int count = execution.redriveCount() == null ? 0 : execution.redriveCount();
                if (!Integer.toString(count).equals(expect)) {
                    yield changed("the execution was redriven " + count + " times meanwhile");
                }
                Optional<String> refusal = redrives().refusal(execution, false);
                if (refusal.isPresent()) {
                    yield changed(refusal.get());
                }
                Bulk.Result result = redrives().redrive(execution, true);
                if (!"redriven".equals(result.outcome())) {
                    throw new OpsException(result.detail());
                }
                yield new Outcome(
                        303,
                        null,
                        Html.href(
                                "/server",
                                ServerPage.params(
                                        Redrives.serverOf(execution.name()).orElse(""), null, execution.name())));
            }
            default -> throw new IllegalArgumentException("no action " + action + " (replay or redrive)");
        };
    }

    private String form(Map<String, String> fields, String button, String id, String owner) {
        StringBuilder html = new StringBuilder("<form method=\"post\" action=\"/act\" id=\"confirm-form\">");
        Map<String, String> all = new java.util.TreeMap<>(fields);
        all.put("token", token);
        all.forEach((name, value) -> html.append("<input type=\"hidden\" name=\"")
                .append(Html.esc(name))
                .append("\" value=\"")
                .append(Html.esc(value))
                .append("\">"));
        html.append("<button class=\"button\" type=\"submit\" id=\"confirm\">")
                .append(Html.esc(button))
                .append("</button> ");
        if (id != null) {
            html.append(Html.link(Html.href("/server", ServerPage.params(id, owner, null)), "Cancel")
                    .replace("<a ", "<a class=\"button secondary\" "));
        }
        return html.append("</form>").toString();
    }

    private static String refused(String title, String why, String id, String owner) {
        return Html.page(
                title,
                "<h1>" + Html.esc(title) + ": not possible</h1><p class=\"box failure\" id=\"refused\">"
                        + Html.esc(why) + "</p>"
                        + (id == null
                                ? ""
                                : Html.link(Html.href("/server", ServerPage.params(id, owner, null)), "back")),
                null);
    }

    private static Outcome changed(String what) {
        return new Outcome(
                409,
                Html.page(
                        "changed",
                        "<h1>Nothing was done</h1><p class=\"box failure\" id=\"refused\">The plan changed since you"
                                + " confirmed it: " + Html.esc(what) + ". Go back and review it again.</p>",
                        null),
                null);
    }

    private ServerView server(Map<String, String> params) {
        String id = required(params, "id");
        return ops.locator()
                .find(id, params.get("owner"))
                .orElseThrow(
                        () -> new IllegalArgumentException(
                                "no item for " + id
                                        + ": a replay is built from the item; for a deleted item, redrive its failed delete execution"));
    }

    /** The release a replay should converge to, if the request names one; it must exist. */
    private String release(Map<String, String> params) {
        String version = params.get("release");
        if (version == null) {
            return null;
        }
        return ops.releaseVersion(version).orElseThrow(() -> new IllegalArgumentException("no release " + version));
    }

    private Replays replays() {
        return new Replays(ops.clients().sfn(), ops.machines(), ops.executions(), ops.table());
    }

    private Redrives redrives() {
        return new Redrives(ops.clients().sfn(), ops.table(), ops.executions());
    }

    private static String pretty(String json) {
        return Json.parse(json, "the input").toPrettyString();
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        return value;
    }
}
