package dev.stackfleet.ops;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with left-aligned columns separated by two spaces, the way operators read
 * {@code kubectl get} or {@code aws ... --output table}. A missing value prints as {@code -}; the last column
 * is not padded, so long reasons do not leave trailing blanks.
 */
final class TextTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param headers column titles, printed in upper case as given */
    TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row with one value per column; {@code null} prints as {@code -}. */
    TextTable row(Object... values) {
        if (values.length != headers.size()) {
            throw new IllegalArgumentException("Expected " + headers.size() + " values, got " + values.length);
        }
        rows.add(Arrays.stream(values).map(v -> v == null ? "-" : v.toString()).toList());
        return this;
    }

    /** Prints the header line and every row. */
    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printLine(out, headers, widths);
        rows.forEach(row -> printLine(out, row, widths));
        out.flush();
    }

    private static void printLine(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i == cells.size() - 1) {
                line.append(cells.get(i));
            } else {
                line.append(String.format("%-" + widths[i] + "s  ", cells.get(i)));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
