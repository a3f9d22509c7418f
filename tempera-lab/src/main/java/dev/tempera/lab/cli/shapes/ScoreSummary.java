package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalDouble;

/**
 * Running totals over the scored items of one group (or of all items), by kind of item. Rates and means are over the
 * items of the kind they concern; a kind with no items has none (JSON {@code null}, a dash in the table):
 * <ul>
 *   <li>images: known rate, satisfied rate, kindColour rate (unknown images count as neither), and the mean F1 over
 *       the <em>known</em> images only (an unknown image has no F1; read it with the known rate);
 *   <li>descriptions of known scenes: mean F1, mean hallucination rate (per item, then averaged), micro hallucination
 *       rate (all hallucinated over all stated attributes, CHAIR-style), and the share of items with any
 *       hallucination;
 *   <li>free texts: the valid rate.
 * </ul>
 * Not thread-safe: add results from one thread.
 */
final class ScoreSummary {

    private int count;

    private int images;
    private int known;
    private int satisfied;
    private int kindColour;
    private double imageF1Sum;

    private int descriptions;
    private double textF1Sum;
    private double hallucinationRateSum;
    private long hallucinated;
    private long stated;
    private int anyHallucination;

    private int texts;
    private int valid;

    void add(ItemScore score) {
        count++;
        if (score instanceof ItemScore.ImageScore s) {
            images++;
            known += s.check().isKnown() ? 1 : 0;
            satisfied += s.satisfied() ? 1 : 0;
            kindColour += s.kindColour() ? 1 : 0;
            imageF1Sum += s.prf().map(p -> p.f1()).orElse(0.0);
        } else if (score instanceof ItemScore.DescriptionScore s) {
            descriptions++;
            textF1Sum += s.prf().f1();
            hallucinationRateSum += s.hallucinationRate();
            hallucinated += s.hallucinated();
            stated += s.prf().stated();
            anyHallucination += s.hallucinated() > 0 ? 1 : 0;
        } else {
            texts++;
            valid += ((ItemScore.Validity) score).valid() ? 1 : 0;
        }
    }

    int count() {
        return count;
    }

    OptionalDouble knownRate() {
        return ratio(known, images);
    }

    OptionalDouble satisfiedRate() {
        return ratio(satisfied, images);
    }

    OptionalDouble kindColourRate() {
        return ratio(kindColour, images);
    }

    /** Mean F1 of the prompts over the known images. */
    OptionalDouble imageMeanF1() {
        return known == 0 ? OptionalDouble.empty() : OptionalDouble.of(imageF1Sum / known);
    }

    OptionalDouble textMeanF1() {
        return descriptions == 0 ? OptionalDouble.empty() : OptionalDouble.of(textF1Sum / descriptions);
    }

    OptionalDouble meanHallucinationRate() {
        return descriptions == 0 ? OptionalDouble.empty() : OptionalDouble.of(hallucinationRateSum / descriptions);
    }

    /** All hallucinated over all stated attributes; 0 when descriptions stated nothing. */
    OptionalDouble microHallucinationRate() {
        return descriptions == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(stated == 0 ? 0 : (double) hallucinated / stated);
    }

    OptionalDouble anyHallucinationRate() {
        return ratio(anyHallucination, descriptions);
    }

    OptionalDouble validRate() {
        return ratio(valid, texts);
    }

    /** The summary as JSON; the fields of a kind with no items are left out, apart from its count of 0. */
    ObjectNode toJson() {
        ObjectNode n = Options.JSON.createObjectNode();
        n.put("count", count);
        n.put("images", images);
        if (images > 0) {
            put(n, "knownRate", knownRate());
            put(n, "satisfiedRate", satisfiedRate());
            put(n, "kindColourRate", kindColourRate());
            put(n, "imageMeanF1", imageMeanF1());
        }
        n.put("descriptions", descriptions);
        if (descriptions > 0) {
            put(n, "textMeanF1", textMeanF1());
            put(n, "meanHallucinationRate", meanHallucinationRate());
            put(n, "microHallucinationRate", microHallucinationRate());
            put(n, "anyHallucinationRate", anyHallucinationRate());
            n.put("hallucinated", hallucinated);
            n.put("stated", stated);
        }
        n.put("texts", texts);
        if (texts > 0) {
            put(n, "validRate", validRate());
        }
        return n;
    }

    private static void put(ObjectNode n, String key, OptionalDouble v) {
        if (v.isPresent()) {
            n.put(key, v.getAsDouble());
        } else {
            n.putNull(key);
        }
    }

    private static OptionalDouble ratio(int part, int whole) {
        return whole == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) part / whole);
    }
}
