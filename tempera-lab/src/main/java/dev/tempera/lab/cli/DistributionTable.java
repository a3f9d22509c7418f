package dev.tempera.lab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Prints a row's distribution before and after, token by token. Vocabularies above
 * {@value #SHOWN} tokens show the {@value #SHOWN} most likely tokens (by the probability before)
 * and one line for the rest.
 */
final class DistributionTable {

    static final int SHOWN = 20;

    private DistributionTable() {}

    /** The tokens to show: all of them, or the {@value #SHOWN} most likely, most likely first. */
    static int[] shownTokens(double[] before) {
        if (before.length <= SHOWN) {
            return IntStream.range(0, before.length).toArray();
        }
        return IntStream.range(0, before.length).boxed()
                .sorted((a, b) -> before[a] != before[b] ? Double.compare(before[b], before[a]) : Integer.compare(a, b))
                .limit(SHOWN).mapToInt(Integer::intValue).toArray();
    }

    static void print(PrintWriter out, Row row, List<String> labels) {
        out.println("  chain: " + String.join(" -> ", row.chain()));
        boolean words = labels != null;
        out.println(words ? "      token  word          before     after  kept" : "      token    before     after  kept");
        int[] shown = shownTokens(row.before());
        double restBefore = 1;
        double restAfter = 1;
        int restKept = row.kept();
        for (int t : shown) {
            String word = words ? Fmt.f("  %-10s", labels.get(t)) : "";
            out.println(Fmt.f("  %9d%s  %8s  %8s   %s", t, word, Fmt.p6(row.before()[t]), Fmt.p6(row.after()[t]),
                    row.isKept(t) ? "✓" : "✗"));
            restBefore -= row.before()[t];
            restAfter -= row.after()[t];
            restKept -= row.isKept(t) ? 1 : 0;
        }
        int rest = row.before().length - shown.length;
        if (rest > 0) {
            out.println(Fmt.f("  %9s  %8s  %8s   %d of them kept", "+" + rest + " more", Fmt.p6(Math.max(0, restBefore)),
                    Fmt.p6(Math.max(0, restAfter)), restKept));
        }
        out.println(Fmt.f("  kept %d of %d tokens, holding %.6f of the original mass; entropy %.4f nats, "
                        + "effective tokens %.3f", row.kept(), row.before().length, row.keptMass(), row.entropy(),
                row.effectiveTokens()));
    }
}
