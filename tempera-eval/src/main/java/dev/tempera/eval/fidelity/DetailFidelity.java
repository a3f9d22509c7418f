package dev.tempera.eval.fidelity;

import dev.tempera.shapes.AttributeScore;
import dev.tempera.shapes.AttributeScorer;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.MentionedShape;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import dev.tempera.shapes.ShapeKind;
import dev.tempera.shapes.TextParser;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Detail fidelity (DF) of descriptions against known truth: exact in the Shapes world, where the scene behind
 * every image is known and {@link TextParser} reads what a description states (English, Chinese or both).
 *
 * <p>Tempera's definition (eval anchors §4.7, §4.9, §5): DF of a description is the F1 of its stated attributes
 * against the scene's (CAPTURE-style precision = correctness, recall = coverage), with the attribute
 * hallucination rate 1 − precision beside it; the object-level hallucination rate follows CHAIR (Rohrbach et al.
 * 2018, LisaAnne/Hallucination {@code utils/chair.py}) with shape kinds as the object vocabulary, see
 * {@link ChairScore}.
 *
 * <p>What callers trip on: a blank description (a model that said nothing) is scored as stating nothing:
 * precision 1, recall 0, F1 0, no hallucination; words the parser does not know are ignored, not counted
 * false. Stateless and thread-safe.
 *
 * <pre>{@code
 * FidelityScore s = DetailFidelity.score(scene, "a big red circle on the left of a blue background");
 * s.f1(); s.hallucinationRate(); s.chairI();
 * }</pre>
 */
public final class DetailFidelity {

    private DetailFidelity() {
    }

    /** Parses {@code description} and scores it against {@code truth}. */
    public static FidelityScore score(Scene truth, String description) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(description, "description");
        Description parsed = description.isBlank() ? new Description(Optional.empty(), List.of())
                : TextParser.parse(description);
        return score(truth, parsed);
    }

    /** Scores an already-parsed description against {@code truth}. */
    public static FidelityScore score(Scene truth, Description description) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(description, "description");
        AttributeScore a = AttributeScorer.score(truth, description);
        Set<ShapeKind> present = EnumSet.noneOf(ShapeKind.class);
        for (Shape s : truth.shapes()) {
            present.add(s.kind());
        }
        int mentions = 0;
        int hallucinated = 0;
        for (MentionedShape m : description.shapes()) {
            if (m.kind().isPresent()) {
                mentions++;
                if (!present.contains(m.kind().get())) {
                    hallucinated++;
                }
            }
        }
        return new FidelityScore(a.overall(), a.byType(), a.hallucinated(), a.missing(), mentions, hallucinated);
    }
}
