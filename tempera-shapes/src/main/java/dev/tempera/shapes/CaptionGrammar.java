package dev.tempera.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Captions for scenes from a small grammar, in English and Chinese, at two {@linkplain CaptionLevel levels}. Each
 * (language, level) has four sentence templates; with both shape orders and two wordings of each position, a
 * two-shape scene has up to 32 distinct detailed captions, so a captioning model has real choices to make.
 *
 * <p>Every caption parses back with {@link TextParser}: detailed captions to exactly their scene, short ones to each
 * shape's colour and kind (and sometimes the background). Stateless and thread-safe.
 *
 * <pre>{@code
 * CaptionGrammar.all(scene, Language.EN, CaptionLevel.DETAILED).get(0)
 *   // "a large red circle on the left of a blue background, and a small yellow square at the bottom"
 * CaptionGrammar.sample(scene, Language.ZH, CaptionLevel.DETAILED, new SplittableRandom(7))
 *   // "蓝色背景上左边有一个大的红色圆形，底部有一个小的黄色正方形"
 * }</pre>
 */
public final class CaptionGrammar {

    /** Sentence templates per (language, level); each returns null when it does not apply. */
    private static final int TEMPLATES = 4;

    private CaptionGrammar() {}

    /** One caption drawn uniformly from {@link #all}, advancing {@code random}. */
    public static String sample(Scene scene, Language language, CaptionLevel level, SplittableRandom random) {
        List<String> all = all(scene, language, level);
        return all.get(random.nextInt(all.size()));
    }

    /** Every distinct caption the grammar gives {@code scene} at this language and level, in a fixed order. */
    public static List<String> all(Scene scene, Language language, CaptionLevel level) {
        List<List<Shape>> orders = new ArrayList<>();
        orders.add(scene.shapes());
        if (scene.shapes().size() == 2) {
            orders.add(scene.reversed().shapes());
        }
        List<String> out = new ArrayList<>();
        for (int t = 0; t < TEMPLATES; t++) {
            for (List<Shape> order : orders) {
                for (int variant = 0; variant < (level == CaptionLevel.DETAILED ? 4 : 1); variant++) {
                    int v = variant;
                    // Bit 0 chooses the first shape's position wording, bit 1 the second's.
                    Function<Integer, Integer> wording = i -> (v >> i) & 1;
                    String c = language == Language.EN
                            ? english(t, level, scene.background(), order, wording)
                            : chinese(t, level, scene.background(), order, wording);
                    if (!out.contains(c)) {
                        out.add(c);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- English

    private static String english(int template, CaptionLevel level, ShapeColor bg, List<Shape> shapes,
                                  Function<Integer, Integer> wording) {
        String b = bg.english();
        if (level == CaptionLevel.SHORT) {
            List<String> nps = new ArrayList<>();
            for (Shape s : shapes) {
                nps.add(template == 2 ? s.color().english() + " " + s.kind().english() : enNp(s, false));
            }
            switch (template) {
                case 0: return String.join(" and ", nps);
                case 1: return String.join(" and ", nps) + " on " + article(b) + " " + b + " background";
                case 2: return String.join(", ", nps);
                default: return "a picture of " + String.join(" and ", nps);
            }
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            parts.add(enNp(shapes.get(i), true) + " " + enPosition(shapes.get(i).position(), wording.apply(i)));
        }
        String rest = parts.size() == 2 ? parts.get(1) : null;
        switch (template) {
            case 0: {
                Shape s = shapes.get(0);
                String first = enNp(s, true) + " " + enPosition(s.position(), wording.apply(0)) + " of "
                        + article(b) + " " + b + " background";
                return rest == null ? first : first + ", and " + rest;
            }
            case 1: return article(b) + " " + b + " background with " + String.join(" and ", parts);
            case 2: return "on " + article(b) + " " + b + " background, there is " + String.join(" and ", parts);
            default: return String.join(" and ", parts) + ", on " + article(b) + " " + b + " background";
        }
    }

    private static String enNp(Shape s, boolean withSize) {
        String words = (withSize ? s.size().english() + " " : "") + s.color().english() + " " + s.kind().english();
        return article(words) + " " + words;
    }

    private static String enPosition(Position p, int wording) {
        switch (p) {
            case LEFT: return wording == 0 ? "on the left" : "on the left side";
            case RIGHT: return wording == 0 ? "on the right" : "on the right side";
            case TOP: return wording == 0 ? "at the top" : "near the top";
            case BOTTOM: return wording == 0 ? "at the bottom" : "near the bottom";
            default: return wording == 0 ? "in the centre" : "in the middle";
        }
    }

    private static String article(String nextWords) {
        char c = nextWords.toLowerCase(Locale.ROOT).charAt(0);
        return "aeiou".indexOf(c) >= 0 ? "an" : "a";
    }

    // ---------------------------------------------------------------- Chinese

    private static String chinese(int template, CaptionLevel level, ShapeColor bg, List<Shape> shapes,
                                  Function<Integer, Integer> wording) {
        String b = bg.chinese();
        if (level == CaptionLevel.SHORT) {
            List<String> nps = new ArrayList<>();
            for (Shape s : shapes) {
                nps.add(template == 2 ? s.color().chinese() + "的" + s.kind().chinese() : zhNp(s, false));
            }
            switch (template) {
                case 0: return String.join("和", nps);
                case 1: return b + "背景上的" + String.join("和", nps);
                case 2: return String.join("、", nps);
                default: return "图中有" + String.join("和", nps);
            }
        }
        List<String> pos = new ArrayList<>();
        List<String> nps = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            pos.add(zhPosition(shapes.get(i).position(), wording.apply(i)));
            nps.add(zhNp(shapes.get(i), true));
        }
        StringBuilder sb = new StringBuilder();
        switch (template) {
            case 0:
                sb.append(b).append("背景上").append(pos.get(0)).append("有").append(nps.get(0));
                if (shapes.size() == 2) {
                    sb.append("，").append(pos.get(1)).append("有").append(nps.get(1));
                }
                return sb.toString();
            case 1:
                sb.append("在").append(b).append("的背景上，").append(pos.get(0)).append("是").append(nps.get(0));
                if (shapes.size() == 2) {
                    sb.append("，").append(pos.get(1)).append("是").append(nps.get(1));
                }
                return sb.toString();
            case 2:
                sb.append(nps.get(0)).append("位于").append(b).append("背景的").append(pos.get(0));
                if (shapes.size() == 2) {
                    sb.append("，").append(nps.get(1)).append("位于").append(pos.get(1));
                }
                return sb.toString();
            default:
                sb.append(pos.get(0)).append("有").append(nps.get(0));
                if (shapes.size() == 2) {
                    sb.append("，").append(pos.get(1)).append("有").append(nps.get(1));
                }
                return sb.append("，背景是").append(b).toString();
        }
    }

    private static String zhNp(Shape s, boolean withSize) {
        return "一个" + (withSize ? s.size().chinese() + "的" : "") + s.color().chinese() + s.kind().chinese();
    }

    private static String zhPosition(Position p, int wording) {
        switch (p) {
            case LEFT: return wording == 0 ? "左边" : "左侧";
            case RIGHT: return wording == 0 ? "右边" : "右侧";
            case TOP: return wording == 0 ? "顶部" : "上方";
            case BOTTOM: return wording == 0 ? "底部" : "下方";
            default: return wording == 0 ? "中间" : "中央";
        }
    }
}
