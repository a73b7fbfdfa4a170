package dev.stackfleet.ops;

import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.core.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The console's fleet page. Its first view reads no item it does not show: counts by status are count-only
 * queries of the {@code by-status} index, counts by account come from the account pool's {@code used}, and the
 * servers that need attention (failed, and pending or in progress without a change for {@link #STUCK_AFTER}) are
 * first pages of that index. A status's list is paged through the index, an owner's is a Query of the table; an
 * id goes to its server page. The page refreshes its live part every few seconds.
 */
final class FleetPage {

    /** Like the reconciler's default: a server pending or in progress this long without a change is stuck. */
    static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    /** Servers per page. */
    static final int PAGE = 50;

    private static final List<String> IN_PROGRESS = List.of(
            Status.CREATE_PENDING.name(),
            Status.CREATING.name(),
            Status.UPDATE_PENDING.name(),
            Status.UPDATING.name(),
            Status.DELETE_PENDING.name(),
            Status.DELETING.name());

    /** Replaces the live part with a fresh copy of the same page every 5 seconds (polling, no outside script). */
    private static final String LIVE_SCRIPT = """
            setInterval(async () => {
              try {
                const response = await fetch(location.href, {cache: 'no-store'});
                if (!response.ok) return;
                const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
                document.getElementById('live').replaceWith(fresh.getElementById('live'));
              } catch (e) { /* the console stopped or restarts: keep the last view */ }
            }, 5000);
            """;

    private final OpsMain ops;

    FleetPage(OpsMain ops) {
        this.ops = ops;
    }

    /**
     * The page for the query parameters {@code status} (and {@code after}, a page token) or {@code owner}; none
     * for the first view.
     */
    String render(Map<String, String> params) {
        Instant now = Instant.now();
        GameServerTable table = ops.table();
        StringBuilder live = new StringBuilder("<div id=\"live\"><p class=\"note\">updated " + now + "</p>");
        live.append(statusCounts(table)).append(accounts());
        String status = params.get("status");
        String owner = params.get("owner");
        String title;
        if (status != null) {
            title = status + " servers";
            GameServerTable.Page page = table.page(statusName(status), null, PAGE, params.get("after"));
            live.append("<h2>").append(Html.esc(title)).append("</h2>").append(servers(page.servers(), now));
            if (page.next() != null) {
                live.append(Html.link(Html.href("/", Map.of("status", status, "after", page.next())), "next page →"));
            }
        } else if (owner != null) {
            title = owner + "'s servers";
            List<ServerView> owned = table.list(new GameServerTable.Filter(List.of(), owner, null));
            live.append("<h2>").append(Html.esc(title)).append("</h2>").append(servers(owned, now));
        } else {
            title = "fleet";
            live.append("<h2>Needs attention: failed, then stuck</h2>")
                    .append(servers(attention(table, now), now))
                    .append("<p class=\"note\">Stuck: pending or in progress, unchanged for ")
                    .append(STUCK_AFTER.toMinutes())
                    .append(" minutes or more. The first ")
                    .append(PAGE)
                    .append(" of each status are shown; open a status above for all.</p>");
        }
        return Html.page(title, "<h1>" + Html.esc(title) + "</h1>" + live.append("</div>"), LIVE_SCRIPT);
    }

    /** The first page of each failed status, then of each pending or in-progress status unchanged since a while. */
    private static List<ServerView> attention(GameServerTable table, Instant now) {
        List<ServerView> servers = new ArrayList<>();
        for (String failed : ServersCommand.FAILED_STATUSES) {
            servers.addAll(table.page(failed, null, PAGE, null).servers());
        }
        servers.sort(GameServerTable.NEWEST_FIRST);
        Instant stuckBefore = now.minus(STUCK_AFTER);
        for (String inProgress : IN_PROGRESS) {
            servers.addAll(table.page(inProgress, stuckBefore, PAGE, null).servers());
        }
        return servers;
    }

    private static String statusCounts(GameServerTable table) {
        StringBuilder html = new StringBuilder("<h2>By status</h2><table class=\"counts\" id=\"status-counts\"><tr>");
        StringBuilder counts = new StringBuilder("<tr>");
        for (Status status : Status.values()) {
            html.append("<th>").append(Html.status(status.name())).append("</th>");
            long count = table.count(status.name());
            counts.append("<td data-status=\"")
                    .append(status.name())
                    .append("\">")
                    .append(Html.link(Html.href("/", Map.of("status", status.name())), count))
                    .append("</td>");
        }
        return html.append("</tr>").append(counts).append("</tr></table>").toString();
    }

    private String accounts() {
        List<PoolAccount> pool;
        try {
            pool = ops.poolAccounts();
        } catch (OpsException e) {
            return "<h2>By account</h2><p class=\"note\">not readable: " + Html.esc(e.getMessage()) + "</p>";
        }
        StringBuilder html = new StringBuilder("<h2>By account</h2><table id=\"account-counts\"><tr><th>account</th>"
                + "<th>region</th><th>state</th><th>servers / capacity</th><th>quarantine</th></tr>");
        for (PoolAccount account : pool) {
            html.append("<tr><td>")
                    .append(Html.esc(account.accountId()))
                    .append("</td><td>")
                    .append(Html.esc(account.region()))
                    .append("</td><td>")
                    .append(Html.esc(account.state().value()))
                    .append("</td><td class=\"used\">")
                    .append(account.used())
                    .append(" / ")
                    .append(account.capacity())
                    .append("</td><td>")
                    .append(account.quarantined() ? Html.esc(account.quarantineReason()) : "-")
                    .append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    /** A table of servers, each linked to its server page. */
    static String servers(List<ServerView> servers, Instant now) {
        if (servers.isEmpty()) {
            return "<p class=\"note\" id=\"servers\">none</p>";
        }
        StringBuilder html = new StringBuilder("<table id=\"servers\"><tr><th>owner</th><th>gameserver id</th>"
                + "<th>account</th><th>status</th><th>gen/observed</th><th>release/observed</th><th>changed</th>"
                + "<th>reason</th></tr>");
        for (ServerView s : servers) {
            html.append("<tr data-id=\"")
                    .append(Html.esc(s.gameServerId()))
                    .append("\"><td>")
                    .append(Html.esc(s.owner()))
                    .append("</td><td>")
                    .append(Html.link(
                            Html.href("/server", Map.of("id", s.gameServerId(), "owner", s.owner())), s.gameServerId()))
                    .append("</td><td>")
                    .append(Html.esc(s.placement().accountId()))
                    .append("</td><td>")
                    .append(Html.status(s.status()))
                    .append(s.paused() ? " (paused)" : "")
                    .append("</td><td>")
                    .append(Html.esc(ServersCommand.generations(s)))
                    .append("</td><td>")
                    .append(Html.esc(ServersCommand.releases(s)))
                    .append("</td><td>")
                    .append(Html.esc(Formats.age(s.updatedAt(), now)))
                    .append("</td><td>")
                    .append(Html.esc(
                            Formats.abbreviate(s.paused() ? "paused: " + s.pauseReason() : s.statusReason(), 120)))
                    .append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    /** A status from a link; a bad one is the caller's error. */
    private static String statusName(String status) {
        try {
            return Status.valueOf(status).name();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "no status " + status + "; the statuses are " + java.util.Arrays.toString(Status.values()));
        }
    }
}
