package dev.tempera.shapes;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores descriptions against scenes.
 *
 * <p>Mentioned shapes are matched one-to-one to the scene's shapes so as to make the most stated attributes true
 * (every assignment is tried; scenes hold at most two shapes). A stated attribute of a shape left unmatched — the
 * text mentions more shapes than the scene holds — is hallucinated. Stateless and thread-safe.
 *
 * <pre>{@code
 * AttributeScore s = AttributeScorer.score(scene, TextParser.parse("a green star"));
 * s.precision(); s.recall(); s.hallucinated();
 * }</pre>
 */
public final class AttributeScorer {

    private AttributeScorer() {}

    /** Scores {@code description} against the true {@code scene}. */
    public static AttributeScore score(Scene scene, Description description) {
        List<MentionedShape> mentioned = description.shapes();
        int[] best = bestAssignment(scene, mentioned);
        Map<AttributeType, int[]> counts = new EnumMap<>(AttributeType.class);
        for (AttributeType t : AttributeType.values()) {
            counts.put(t, new int[3]); // matched, stated, present
        }
        List<Attribute> hallucinated = new ArrayList<>();
        List<Attribute> missing = new ArrayList<>();

        counts.get(AttributeType.BACKGROUND)[2]++;
        if (description.background().isPresent()) {
            counts.get(AttributeType.BACKGROUND)[1]++;
            if (description.background().get() == scene.background()) {
                counts.get(AttributeType.BACKGROUND)[0]++;
            } else {
                hallucinated.add(Attribute.background(description.background().get()));
            }
        }
        if (description.background().orElse(null) != scene.background()) {
            missing.add(Attribute.background(scene.background()));
        }

        boolean[] covered = new boolean[scene.shapes().size() * AttributeType.values().length];
        for (int m = 0; m < mentioned.size(); m++) {
            MentionedShape ms = mentioned.get(m);
            Shape truth = best[m] >= 0 ? scene.shapes().get(best[m]) : null;
            compare(m, AttributeType.KIND, ms.kind(), truth == null ? null : truth.kind(), counts, hallucinated,
                    covered, best[m]);
            compare(m, AttributeType.COLOR, ms.color(), truth == null ? null : truth.color(), counts, hallucinated,
                    covered, best[m]);
            compare(m, AttributeType.SIZE, ms.size(), truth == null ? null : truth.size(), counts, hallucinated,
                    covered, best[m]);
            compare(m, AttributeType.POSITION, ms.position(), truth == null ? null : truth.position(), counts,
                    hallucinated, covered, best[m]);
        }
        for (int s = 0; s < scene.shapes().size(); s++) {
            Shape shape = scene.shapes().get(s);
            addMissing(s, AttributeType.KIND, shape.kind().english(), covered, counts, missing);
            addMissing(s, AttributeType.COLOR, shape.color().english(), covered, counts, missing);
            addMissing(s, AttributeType.SIZE, shape.size().english(), covered, counts, missing);
            addMissing(s, AttributeType.POSITION, shape.position().english(), covered, counts, missing);
        }
        Map<AttributeType, Prf> byType = new EnumMap<>(AttributeType.class);
        Prf overall = new Prf(0, 0, 0);
        for (AttributeType t : AttributeType.values()) {
            int[] c = counts.get(t);
            Prf p = new Prf(c[0], c[1], c[2]);
            byType.put(t, p);
            overall = overall.plus(p);
        }
        return new AttributeScore(overall, byType, hallucinated, missing);
    }

    /**
     * Whether an image whose check gave {@code image} satisfies {@code prompt}: the image is a recognised scene, it
     * holds exactly as many shapes as the prompt mentions, and every attribute the prompt states is true of it.
     * A prompt that mentions no shape is never satisfied.
     */
    public static boolean promptSatisfied(Description prompt, ImageCheck image) {
        Optional<Scene> scene = image.scene();
        if (scene.isEmpty() || prompt.shapes().isEmpty()) {
            return false;
        }
        if (scene.get().shapes().size() != prompt.shapes().size()) {
            return false;
        }
        AttributeScore s = score(scene.get(), prompt);
        return s.overall().matched() == s.overall().stated();
    }

    private static <T extends Enum<T>> void compare(int mentionIndex, AttributeType type, Optional<T> stated,
                                                    Enum<?> truth, Map<AttributeType, int[]> counts,
                                                    List<Attribute> hallucinated, boolean[] covered, int sceneIndex) {
        if (stated.isEmpty()) {
            return;
        }
        int[] c = counts.get(type);
        c[1]++;
        if (truth != null && stated.get() == truth) {
            c[0]++;
            covered[sceneIndex * AttributeType.values().length + type.ordinal()] = true;
        } else {
            hallucinated.add(new Attribute(mentionIndex, type, englishOf(stated.get())));
        }
    }

    private static void addMissing(int sceneIndex, AttributeType type, String value, boolean[] covered,
                                   Map<AttributeType, int[]> counts, List<Attribute> missing) {
        counts.get(type)[2]++;
        if (!covered[sceneIndex * AttributeType.values().length + type.ordinal()]) {
            missing.add(new Attribute(sceneIndex, type, value));
        }
    }

    private static String englishOf(Enum<?> v) {
        if (v instanceof ShapeKind k) {
            return k.english();
        }
        if (v instanceof ShapeColor c) {
            return c.english();
        }
        if (v instanceof Size s) {
            return s.english();
        }
        return ((Position) v).english();
    }

    /** For each mention, the scene shape it is matched to, or -1; maximises the number of true attributes. */
    private static int[] bestAssignment(Scene scene, List<MentionedShape> mentioned) {
        int[] current = new int[mentioned.size()];
        int[] best = new int[mentioned.size()];
        java.util.Arrays.fill(best, -1);
        int[] bestScore = {-1};
        search(0, scene, mentioned, new boolean[scene.shapes().size()], current, 0, best, bestScore);
        return best;
    }

    private static void search(int m, Scene scene, List<MentionedShape> mentioned, boolean[] taken, int[] current,
                               int score, int[] best, int[] bestScore) {
        if (m == mentioned.size()) {
            if (score > bestScore[0]) {
                bestScore[0] = score;
                System.arraycopy(current, 0, best, 0, current.length);
            }
            return;
        }
        // Each mention takes a free scene shape or none; once all are taken only "none" remains, so the
        // search visits O(mentions^2) leaves for two-shape scenes.
        for (int s = 0; s < taken.length; s++) {
            if (!taken[s]) {
                taken[s] = true;
                current[m] = s;
                search(m + 1, scene, mentioned, taken, current, score + agreement(mentioned.get(m), scene.shapes().get(s)),
                        best, bestScore);
                taken[s] = false;
            }
        }
        current[m] = -1;
        search(m + 1, scene, mentioned, taken, current, score, best, bestScore);
    }

    private static int agreement(MentionedShape m, Shape s) {
        int n = 0;
        n += m.kind().filter(k -> k == s.kind()).isPresent() ? 1 : 0;
        n += m.color().filter(c -> c == s.color()).isPresent() ? 1 : 0;
        n += m.size().filter(z -> z == s.size()).isPresent() ? 1 : 0;
        n += m.position().filter(p -> p == s.position()).isPresent() ? 1 : 0;
        return n;
    }
}
