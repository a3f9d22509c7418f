package dev.tempera.eval.fidelity;

import dev.tempera.shapes.Attribute;
import dev.tempera.shapes.AttributeType;
import dev.tempera.shapes.Prf;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Detail fidelity of one description against the true scene: attribute precision / recall / F1, the attribute
 * hallucination rate and the object-level (CHAIR) counts. Made by {@link DetailFidelity}; immutable.
 *
 * <p>Attributes are the background colour and each shape's kind, colour, size and position, matched by
 * {@link dev.tempera.shapes.AttributeScorer} (mentions assigned one-to-one to scene shapes so as to make the most
 * stated attributes true). Objects, for CHAIR, are shape kinds: a mention of a kind the scene does not hold is a
 * hallucinated object, counted with repetition as in CHAIR.
 *
 * @param attributes pooled attribute counts (matched, stated, present)
 * @param byType the same per attribute type (every type present)
 * @param hallucinated stated attributes that are false, indexed by the description's shapes
 * @param missing true attributes the description does not state, indexed by the scene's shapes
 * @param objectMentions shape mentions that name a kind
 * @param hallucinatedObjects those whose kind is not in the scene
 */
public record FidelityScore(Prf attributes, Map<AttributeType, Prf> byType, List<Attribute> hallucinated,
                            List<Attribute> missing, int objectMentions, int hallucinatedObjects) {

    public FidelityScore {
        Objects.requireNonNull(attributes, "attributes");
        byType = Map.copyOf(byType);
        hallucinated = List.copyOf(hallucinated);
        missing = List.copyOf(missing);
        if (objectMentions < 0 || hallucinatedObjects < 0 || hallucinatedObjects > objectMentions) {
            throw new IllegalArgumentException("hallucinatedObjects must be in [0, objectMentions] with objectMentions"
                    + " >= 0, but are: " + hallucinatedObjects + " of " + objectMentions);
        }
    }

    /** True stated attributes over stated attributes; 1 when nothing is stated. */
    public double precision() {
        return attributes.precision();
    }

    /** Stated true attributes over the scene's attributes (coverage). */
    public double recall() {
        return attributes.recall();
    }

    /** Harmonic mean of precision and recall; 0 when both are 0. */
    public double f1() {
        return attributes.f1();
    }

    /** False stated attributes over stated attributes (1 − precision); 0 when nothing is stated. */
    public double hallucinationRate() {
        return attributes.hallucinationRate();
    }

    /** This description's CHAIR_i: hallucinated object mentions over object mentions; 0 without mentions. */
    public double chairI() {
        return objectMentions == 0 ? 0 : (double) hallucinatedObjects / objectMentions;
    }

    /** Whether any mentioned object is hallucinated (what CHAIR_s counts). */
    public boolean hallucinatesAnObject() {
        return hallucinatedObjects > 0;
    }
}
