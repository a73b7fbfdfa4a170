package dev.stackfleet.ops;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** The console's HTML: escaping, links and the one page layout (inline style, no outside resources). */
final class Html {

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
            header{background:#232f3e;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
            header a{color:#fff;text-decoration:none;font-weight:600}
            main{padding:12px 16px}
            h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:18px 0 6px}
            table{border-collapse:collapse;background:#fff;margin-bottom:8px}
            th,td{border:1px solid #d5dbe1;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#eef1f4;font-weight:600}
            .status{font-weight:600}.FAILED{color:#b3261e}.ACTIVE{color:#1d7a35}.PROGRESS{color:#8a5a00}
            tr.chosen{background:#fff7d6}.box{background:#fff;border:1px solid #d5dbe1;padding:8px 12px;margin:8px 0}
            .failure{border-color:#b3261e;background:#fff3f2}
            .counts a{margin-right:4px}.note{color:#5f6b7a}
            .button{display:inline-block;background:#ec7211;color:#fff;border:0;padding:6px 14px;font-weight:600;
              text-decoration:none;cursor:pointer;border-radius:2px}
            .button.secondary{background:#fff;color:#1b1f24;border:1px solid #8d99a8}
            pre{background:#f1f3f5;padding:8px;overflow:auto;max-width:100%}
            svg text{font:10px system-ui,sans-serif}#graph{max-width:100%;height:auto}
            """;

    private Html() {}

    /** Text made safe for element content and quoted attribute values; {@code null} is empty. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A path with its query parameters encoded; parameters with a {@code null} value are left out. */
    static String href(String path, Map<String, String> params) {
        String query = params.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** A link; the text is escaped. */
    static String link(String href, Object text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    /** A status with the color of its kind: failed, active or in progress. */
    static String status(String status) {
        String kind = status == null
                ? ""
                : status.endsWith("_FAILED") || "FAILED".equals(status) || "TIMED_OUT".equals(status)
                        ? "FAILED"
                        : "ACTIVE".equals(status) || "SUCCEEDED".equals(status) ? "ACTIVE" : "PROGRESS";
        return "<span class=\"status " + kind + "\">" + esc(status) + "</span>";
    }

    /** A whole page: the title, the body (already HTML) and an optional inline script. */
    static String page(String title, String body, String script) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + " - stackfleet console</title><style>" + STYLE + "</style></head><body><header>"
                + "<a href=\"/\">stackfleet console</a><form action=\"/\" method=\"get\">"
                + "<input name=\"q\" id=\"search\" placeholder=\"owner or gameserver id\" size=\"32\">"
                + " <button type=\"submit\">Search</button></form></header><main>" + body + "</main>"
                + (script == null ? "" : "<script>" + script + "</script>") + "</body></html>";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
