package dev.tempera.lab.cli.shapes;

import dev.tempera.shapes.Description;
import dev.tempera.shapes.MentionedShape;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import java.util.List;

/**
 * The loose test of an image against its prompt that a small generator can pass before it gets layout right: every
 * shape the prompt mentions is in the image with the stated kind and colour, each mention matched to a different
 * shape. Size, position and background are ignored; extra shapes in the image are allowed (unlike
 * {@code AttributeScorer.promptSatisfied}, which needs the same number). A prompt that mentions no shape never
 * holds, as with {@code promptSatisfied}. Stateless.
 */
public final class KindColourMatch {

    private KindColourMatch() {}

    /** Whether every mentioned shape's stated kind and colour is matched by a distinct shape of {@code scene}. */
    public static boolean holds(Description prompt, Scene scene) {
        List<MentionedShape> mentioned = prompt.shapes();
        return !mentioned.isEmpty() && assign(0, mentioned, scene.shapes(), new boolean[scene.shapes().size()]);
    }

    private static boolean assign(int m, List<MentionedShape> mentioned, List<Shape> shapes, boolean[] taken) {
        if (m == mentioned.size()) {
            return true;
        }
        MentionedShape want = mentioned.get(m);
        for (int s = 0; s < shapes.size(); s++) {
            Shape have = shapes.get(s);
            if (!taken[s] && want.kind().map(k -> k == have.kind()).orElse(true)
                    && want.color().map(c -> c == have.color()).orElse(true)) {
                taken[s] = true;
                boolean rest = assign(m + 1, mentioned, shapes, taken);
                taken[s] = false;
                if (rest) {
                    return true;
                }
            }
        }
        return false;
    }
}
