package dev.tempera.eval.fidelity;

import java.util.List;
import java.util.Objects;

/**
 * CHAIR object-hallucination rates of a set of descriptions (Rohrbach et al., EMNLP 2018).
 *
 * <p>Definition (LisaAnne/Hallucination {@code utils/chair.py}, eval anchors §4.7), with Shapes-world shape kinds
 * as the object vocabulary:
 * <pre>
 *   CHAIR_i = Σ hallucinated object mentions / Σ object mentions      (mentions with repetition, pooled)
 *   CHAIR_s = descriptions with ≥ 1 hallucinated mention / descriptions
 * </pre>
 * Lower is better. Both are 0 when there is nothing to count (no mentions, no descriptions), never NaN.
 *
 * @param descriptions descriptions counted
 * @param descriptionsWithHallucination those with at least one hallucinated object mention
 * @param objectMentions object mentions over all descriptions
 * @param hallucinatedMentions hallucinated object mentions over all descriptions
 */
public record ChairScore(int descriptions, int descriptionsWithHallucination, int objectMentions,
                         int hallucinatedMentions) {

    public ChairScore {
        if (descriptions < 0 || descriptionsWithHallucination < 0 || descriptionsWithHallucination > descriptions) {
            throw new IllegalArgumentException("descriptionsWithHallucination must be in [0, descriptions], but is: "
                    + descriptionsWithHallucination + " of " + descriptions);
        }
        if (objectMentions < 0 || hallucinatedMentions < 0 || hallucinatedMentions > objectMentions) {
            throw new IllegalArgumentException("hallucinatedMentions must be in [0, objectMentions], but is: "
                    + hallucinatedMentions + " of " + objectMentions);
        }
    }

    /** Pools the object counts of {@code scores}. */
    public static ChairScore of(List<FidelityScore> scores) {
        Objects.requireNonNull(scores, "scores");
        int with = 0;
        int mentions = 0;
        int hallucinated = 0;
        for (FidelityScore s : scores) {
            with += s.hallucinatesAnObject() ? 1 : 0;
            mentions += s.objectMentions();
            hallucinated += s.hallucinatedObjects();
        }
        return new ChairScore(scores.size(), with, mentions, hallucinated);
    }

    /** CHAIR_i: the share of object mentions that are hallucinated. */
    public double chairI() {
        return objectMentions == 0 ? 0 : (double) hallucinatedMentions / objectMentions;
    }

    /** CHAIR_s: the share of descriptions with a hallucinated object. */
    public double chairS() {
        return descriptions == 0 ? 0 : (double) descriptionsWithHallucination / descriptions;
    }
}
