package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.shapes.AttributeScore;
import dev.tempera.shapes.AttributeScorer;
import dev.tempera.shapes.DatasetWriter;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.ImageCheck;
import dev.tempera.shapes.ImageChecker;
import dev.tempera.shapes.MentionedShape;
import dev.tempera.shapes.Prf;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The score of one {@link ScoreItem}, one record per kind of item. {@link #of} does the work (for images, the
 * expensive part: {@link ImageChecker}); it is stateless and safe to call from several threads at once.
 */
sealed interface ItemScore permits ItemScore.ImageScore, ItemScore.DescriptionScore, ItemScore.Validity {

    /** Adds this result's fields to {@code node} (a copy of the input line). */
    void writeTo(ObjectNode node);

    /**
     * An image checked against its prompt.
     *
     * @param check what the checker read; unknown images are not satisfied and do not match kinds and colours
     * @param satisfied as {@code tempera shapes check --prompt}: a recognised scene with as many shapes as the prompt
     *     mentions, every stated attribute true
     * @param kindColour see {@link KindColourMatch}
     * @param prf the prompt's attributes against the image; empty when the image is unknown
     */
    record ImageScore(ImageCheck check, boolean satisfied, boolean kindColour, Optional<Prf> prf) implements ItemScore {
        @Override
        public void writeTo(ObjectNode node) {
            node.put("known", check.isKnown());
            node.put("reason", check.reason());
            if (check.isKnown()) {
                node.set("recognised", DatasetWriter.toJson(check.scene().get()));
            } else {
                node.putNull("recognised");
            }
            node.put("satisfied", satisfied);
            node.put("kindColour", kindColour);
            writePrf(node, prf);
        }
    }

    /**
     * A description scored against the scene it describes. A hallucinated attribute is one stated but not true, so
     * {@code hallucinated = stated - matched} and the hallucination rate is {@code 1 - precision}: 0 when the text
     * states nothing.
     */
    record DescriptionScore(Prf prf) implements ItemScore {
        int hallucinated() {
            return prf.hallucinated();
        }

        double hallucinationRate() {
            return prf.hallucinationRate();
        }

        @Override
        public void writeTo(ObjectNode node) {
            writePrf(node, Optional.of(prf));
            node.put("hallucinated", hallucinated());
            node.put("stated", prf.stated());
            node.put("hallucinationRate", hallucinationRate());
        }
    }

    /**
     * Whether a text states a complete, valid scene: a background and one or two shapes, each with kind, colour,
     * size and position, forming a scene the world's rules allow.
     *
     * @param scene the scene it states, empty when it does not state a complete, valid one
     * @param reason why not (every missing piece, or the rule the scene breaks); empty when valid
     */
    record Validity(Optional<Scene> scene, Optional<String> reason) implements ItemScore {
        public Validity {
            if (scene.isPresent() == reason.isPresent()) {
                throw new IllegalArgumentException("exactly one of scene and reason must be present, but scene is "
                        + scene + " and reason " + reason);
            }
        }

        boolean valid() {
            return scene.isPresent();
        }

        static Validity of(Description text) {
            List<String> problems = new ArrayList<>();
            if (text.background().isEmpty()) {
                problems.add("no background stated");
            }
            int n = text.shapes().size();
            if (n == 0 || n > Scene.MAX_SHAPES) {
                problems.add(n + " shapes stated, a scene holds 1 to " + Scene.MAX_SHAPES);
            }
            List<Shape> shapes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MentionedShape m = text.shapes().get(i);
                List<String> lacking = new ArrayList<>();
                m.kind().ifPresentOrElse(k -> { }, () -> lacking.add("kind"));
                m.color().ifPresentOrElse(c -> { }, () -> lacking.add("colour"));
                m.size().ifPresentOrElse(s -> { }, () -> lacking.add("size"));
                m.position().ifPresentOrElse(p -> { }, () -> lacking.add("position"));
                if (lacking.isEmpty()) {
                    shapes.add(m.toShape().get());
                } else {
                    problems.add("shape " + (i + 1) + " (" + m + ") states no " + String.join(", ", lacking));
                }
            }
            if (!problems.isEmpty()) {
                return new Validity(Optional.empty(), Optional.of(String.join("; ", problems)));
            }
            try {
                return new Validity(Optional.of(new Scene(text.background().get(), shapes)), Optional.empty());
            } catch (IllegalArgumentException e) {
                return new Validity(Optional.empty(), Optional.of("not a valid scene: " + e.getMessage()));
            }
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("valid", valid());
            if (valid()) {
                node.putNull("reason");
                node.set("parsed", DatasetWriter.toJson(scene.get()));
            } else {
                node.put("reason", reason.get());
                node.putNull("parsed");
            }
        }
    }

    /**
     * Scores {@code item}.
     *
     * @throws IllegalArgumentException if an image file cannot be read as an image
     */
    static ItemScore of(ScoreItem item) {
        if (item instanceof ScoreItem.ImagePrompt ip) {
            ImageCheck check = ImageChecker.check(ip.image());
            Optional<Prf> prf = check.scene().map(s -> AttributeScorer.score(s, ip.prompt()).overall());
            boolean satisfied = AttributeScorer.promptSatisfied(ip.prompt(), check);
            boolean kindColour = check.scene().map(s -> KindColourMatch.holds(ip.prompt(), s)).orElse(false);
            return new ImageScore(check, satisfied, kindColour, prf);
        } else if (item instanceof ScoreItem.DescribedScene ds) {
            AttributeScore score = AttributeScorer.score(ds.scene(), ds.text());
            return new DescriptionScore(score.overall());
        } else {
            return Validity.of(((ScoreItem.FreeText) item).text());
        }
    }

    private static void writePrf(ObjectNode node, Optional<Prf> prf) {
        if (prf.isPresent()) {
            node.put("precision", prf.get().precision());
            node.put("recall", prf.get().recall());
            node.put("f1", prf.get().f1());
        } else {
            node.putNull("precision");
            node.putNull("recall");
            node.putNull("f1");
        }
    }
}
