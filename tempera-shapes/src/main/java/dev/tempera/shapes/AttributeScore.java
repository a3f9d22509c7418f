package dev.tempera.shapes;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How well a description matches a scene, attribute by attribute. Made by {@link AttributeScorer}; immutable.
 *
 * @param overall counts over all attributes
 * @param byType counts per attribute type (every type is present)
 * @param hallucinated stated attributes that are not true, indexed by the description's shapes
 * @param missing true attributes the description does not state, indexed by the scene's shapes
 */
public record AttributeScore(Prf overall, Map<AttributeType, Prf> byType, List<Attribute> hallucinated,
                             List<Attribute> missing) {

    public AttributeScore {
        Objects.requireNonNull(overall, "overall");
        byType = Map.copyOf(byType);
        hallucinated = List.copyOf(hallucinated);
        missing = List.copyOf(missing);
    }

    public double precision() {
        return overall.precision();
    }

    public double recall() {
        return overall.recall();
    }

    public double f1() {
        return overall.f1();
    }
}
