package dev.stackfleet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A state machine drawn as an SVG graph from its ASL definition, with the path one execution took: every state
 * it visited filled, every transition it made drawn bold, and the failing state red. States are laid out in rows
 * by their distance from {@code StartAt}; transitions back up (the workflows' poll loops) are drawn as curves.
 */
final class StateGraph {

    private static final int WIDTH = 170;
    private static final int HEIGHT = 26;
    private static final int GAP_X = 12;
    private static final int GAP_Y = 34;
    private static final int MAX_ROW = 7;

    private StateGraph() {}

    /**
     * The SVG element.
     *
     * @param definition the ASL definition
     * @param path the states in the order the execution entered them
     * @param failing the failing state, or {@code null}
     */
    static String svg(JsonNode definition, List<String> path, String failing) {
        JsonNode states = definition.path("States");
        Map<String, List<String>> next = transitions(states);
        List<List<String>> rows = rows(definition.path("StartAt").asText(), next);
        Map<String, int[]> at = new HashMap<>();
        int widest = rows.stream().mapToInt(List::size).max().orElse(1);
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int offset = (widest - row.size()) * (WIDTH + GAP_X) / 2;
            for (int c = 0; c < row.size(); c++) {
                at.put(row.get(c), new int[] {10 + offset + c * (WIDTH + GAP_X), 10 + r * (HEIGHT + GAP_Y)});
            }
        }
        Set<String> taken = new HashSet<>();
        for (int i = 1; i < path.size(); i++) {
            taken.add(path.get(i - 1) + ">" + path.get(i));
        }
        Map<String, Integer> visits = new HashMap<>();
        path.forEach(state -> visits.merge(state, 1, Integer::sum));

        int width = 20 + widest * (WIDTH + GAP_X);
        int height = 20 + rows.size() * (HEIGHT + GAP_Y);
        StringBuilder svg = new StringBuilder("<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
                + width + " " + height + "\" width=\"" + width + "\" height=\"" + height + "\" role=\"img\""
                + " aria-label=\"state machine\"><defs><marker id=\"arrow\" viewBox=\"0 0 6 6\" refX=\"6\""
                + " refY=\"3\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L6,3L0,6z\""
                + " fill=\"#5f6b7a\"/></marker></defs>");
        // Transitions not taken first, so the path is drawn over them.
        for (boolean drawTaken : new boolean[] {false, true}) {
            next.forEach((from, targets) -> {
                for (String to : targets) {
                    if (at.containsKey(to) && taken.contains(from + ">" + to) == drawTaken) {
                        svg.append(edge(at.get(from), at.get(to), drawTaken));
                    }
                }
            });
        }
        next.keySet()
                .forEach(state -> svg.append(node(
                        state,
                        states.path(state).path("Type").asText(),
                        at.get(state),
                        visits.getOrDefault(state, 0),
                        state.equals(failing))));
        return svg.append("</svg>").toString();
    }

    /** Every state's possible next states: Next, Default, each Choice's Next and each Catch's Next. */
    static Map<String, List<String>> transitions(JsonNode states) {
        Map<String, List<String>> next = new LinkedHashMap<>();
        states.properties().forEach(entry -> {
            JsonNode state = entry.getValue();
            Set<String> targets = new LinkedHashSet<>();
            for (String field : List.of("Next", "Default")) {
                if (state.hasNonNull(field)) {
                    targets.add(state.get(field).asText());
                }
            }
            for (String list : List.of("Choices", "Catch")) {
                state.path(list).forEach(branch -> {
                    if (branch.hasNonNull("Next")) {
                        targets.add(branch.get("Next").asText());
                    }
                });
            }
            next.put(entry.getKey(), new ArrayList<>(targets));
        });
        return next;
    }

    /** The states in rows by breadth-first distance from the start; unreachable states in a last row. */
    private static List<List<String>> rows(String start, Map<String, List<String>> next) {
        Map<String, Integer> depth = new LinkedHashMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        if (next.containsKey(start)) {
            depth.put(start, 0);
            queue.add(start);
        }
        while (!queue.isEmpty()) {
            String state = queue.remove();
            for (String to : next.getOrDefault(state, List.of())) {
                if (next.containsKey(to) && !depth.containsKey(to)) {
                    depth.put(to, depth.get(state) + 1);
                    queue.add(to);
                }
            }
        }
        int last = depth.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        next.keySet().forEach(state -> depth.putIfAbsent(state, last));
        List<List<String>> layers = new ArrayList<>();
        depth.forEach((state, layer) -> {
            while (layers.size() <= layer) {
                layers.add(new ArrayList<>());
            }
            layers.get(layer).add(state);
        });
        // A wide layer is folded into several rows, so the graph keeps to a screen's width.
        List<List<String>> rows = new ArrayList<>();
        for (List<String> layer : layers) {
            for (int from = 0; from < layer.size(); from += MAX_ROW) {
                rows.add(layer.subList(from, Math.min(layer.size(), from + MAX_ROW)));
            }
        }
        return rows;
    }

    private static String edge(int[] from, int[] to, boolean taken) {
        String style = taken
                ? " stroke=\"#1b1f24\" stroke-width=\"2.2\" class=\"taken\""
                : " stroke=\"#c3cad3\" stroke-width=\"1\"";
        int x1 = from[0] + WIDTH / 2;
        int x2 = to[0] + WIDTH / 2;
        if (to[1] > from[1]) {
            return "<line x1=\"" + x1 + "\" y1=\"" + (from[1] + HEIGHT) + "\" x2=\"" + x2 + "\" y2=\"" + to[1] + "\""
                    + style + " marker-end=\"url(#arrow)\"/>";
        }
        // A transition to the same row or back up: a curve out of the right side into the right side.
        int right1 = from[0] + WIDTH;
        int right2 = to[0] + WIDTH;
        int bulge = Math.max(right1, right2) + 30;
        return "<path d=\"M" + right1 + "," + (from[1] + HEIGHT / 2) + " C" + bulge + "," + (from[1] + HEIGHT / 2) + " "
                + bulge + "," + (to[1] + HEIGHT / 2) + " " + right2 + "," + (to[1] + HEIGHT / 2) + "\" fill=\"none\""
                + style + " marker-end=\"url(#arrow)\"/>";
    }

    private static String node(String state, String type, int[] at, int visits, boolean failing) {
        String fill = failing ? "#f9d6d3" : visits > 0 ? "#d7efdc" : "#ffffff";
        String stroke = failing ? "#b3261e" : visits > 0 ? "#1d7a35" : "#c3cad3";
        String classes = "state" + (visits > 0 ? " visited" : "") + (failing ? " failing" : "");
        String label = state.length() > 28 ? state.substring(0, 27) + "…" : state;
        return "<g class=\"" + classes + "\" data-state=\"" + Html.esc(state) + "\"><title>" + Html.esc(state) + " ("
                + Html.esc(type) + ")" + (visits > 0 ? ", entered " + visits + " times" : ", not entered") + "</title>"
                + "<rect x=\"" + at[0] + "\" y=\"" + at[1] + "\" width=\"" + WIDTH + "\" height=\"" + HEIGHT
                + "\" rx=\"" + ("Choice".equals(type) ? 12 : 3) + "\" fill=\"" + fill + "\" stroke=\"" + stroke
                + "\" stroke-width=\"" + (failing ? 3 : visits > 0 ? 1.5 : 1) + "\"/><text x=\"" + (at[0] + 6)
                + "\" y=\"" + (at[1] + 17) + "\"" + (visits > 0 ? " font-weight=\"600\"" : " fill=\"#8d99a8\"") + ">"
                + Html.esc(label) + (visits > 1 ? " ×" + visits : "") + "</text></g>";
    }
}
