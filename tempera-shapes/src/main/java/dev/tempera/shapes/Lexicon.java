package dev.tempera.shapes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words {@link TextParser} knows, English and Chinese, mapped to tokens. English words are matched whole and
 * lower-cased (plurals folded); Chinese is segmented by longest match against this table, so {@code 粉红色} is pink
 * and not red, and {@code 背景上} (on the background) is not read as {@code 上} (top).
 */
final class Lexicon {

    enum Type { COLOR, KIND, SIZE, POSITION, BACKGROUND, COPULA, SEPARATOR }

    record Entry(Type type, Enum<?> value) {}

    private static final Map<String, Entry> ENGLISH = new HashMap<>();
    private static final Map<String, Entry> CHINESE = new HashMap<>();
    private static int longestChinese;

    static {
        color(ShapeColor.RED, List.of("red", "scarlet", "crimson"), List.of("红色", "红"));
        color(ShapeColor.ORANGE, List.of("orange"), List.of("橙色", "橙", "橘色", "橘黄色", "橙黄色"));
        color(ShapeColor.YELLOW, List.of("yellow"), List.of("黄色", "黄"));
        color(ShapeColor.GREEN, List.of("green"), List.of("绿色", "绿"));
        color(ShapeColor.BLUE, List.of("blue"), List.of("蓝色", "蓝"));
        color(ShapeColor.PURPLE, List.of("purple", "violet"), List.of("紫色", "紫"));
        color(ShapeColor.PINK, List.of("pink"), List.of("粉色", "粉红色", "粉红", "粉"));
        color(ShapeColor.WHITE, List.of("white"), List.of("白色", "白"));
        color(ShapeColor.BLACK, List.of("black"), List.of("黑色", "黑"));
        color(ShapeColor.GRAY, List.of("gray", "grey"), List.of("灰色", "灰"));
        color(ShapeColor.BROWN, List.of("brown"), List.of("棕色", "棕", "褐色", "咖啡色"));

        kind(ShapeKind.CIRCLE, List.of("circle", "disc", "disk", "dot"), List.of("圆形", "圆", "圆圈", "圆盘"));
        kind(ShapeKind.SQUARE, List.of("square", "box", "block"), List.of("正方形", "方形", "方块", "正方块", "方框"));
        kind(ShapeKind.TRIANGLE, List.of("triangle"), List.of("三角形", "三角"));
        kind(ShapeKind.STAR, List.of("star", "pentagram"), List.of("星形", "星星", "五角星", "星"));
        kind(ShapeKind.DIAMOND, List.of("diamond", "rhombus", "rhombi", "lozenge"), List.of("菱形", "钻石形", "钻石"));

        size(Size.SMALL, List.of("small", "little", "tiny", "smaller", "smallish", "mini"),
                List.of("小", "较小", "很小", "小型", "小小"));
        size(Size.LARGE, List.of("large", "big", "huge", "larger", "bigger", "giant", "great"),
                List.of("大", "较大", "很大", "巨大", "大型"));

        position(Position.LEFT, List.of("left", "leftmost"), List.of("左边", "左侧", "左面", "左方", "左部", "左"));
        position(Position.RIGHT, List.of("right", "rightmost"), List.of("右边", "右侧", "右面", "右方", "右部", "右"));
        position(Position.TOP, List.of("top", "upper", "topmost"),
                List.of("顶部", "上方", "上面", "上边", "上部", "顶端", "顶上"));
        position(Position.BOTTOM, List.of("bottom", "lower", "bottommost"),
                List.of("底部", "下方", "下面", "下边", "下部", "底端"));
        position(Position.CENTRE, List.of("centre", "center", "middle", "central", "centered", "centred"),
                List.of("中间", "中央", "中心", "正中", "正中间", "中部", "居中"));

        for (String w : List.of("background", "backdrop", "backgrounds")) {
            ENGLISH.put(w, new Entry(Type.BACKGROUND, null));
        }
        for (String w : List.of("背景", "背景色", "背景颜色", "底色", "背景上", "背景上面")) {
            chinese(w, new Entry(Type.BACKGROUND, null));
        }
        for (String w : List.of("is", "was", "are", "of")) {
            ENGLISH.put(w, new Entry(Type.COPULA, null));
        }
        for (String w : List.of("是", "为", "呈")) {
            chinese(w, new Entry(Type.COPULA, null));
        }
        for (String w : List.of("and", "with", "while", "plus", "also", "whereas", "then")) {
            ENGLISH.put(w, new Entry(Type.SEPARATOR, null));
        }
        for (String w : List.of("和", "与", "以及", "还有", "并且", "另外", "同时", "而")) {
            chinese(w, new Entry(Type.SEPARATOR, null));
        }
    }

    private Lexicon() {}

    private static void color(ShapeColor c, List<String> en, List<String> zh) {
        add(Type.COLOR, c, en, zh);
    }

    private static void kind(ShapeKind k, List<String> en, List<String> zh) {
        add(Type.KIND, k, en, zh);
    }

    private static void size(Size s, List<String> en, List<String> zh) {
        add(Type.SIZE, s, en, zh);
    }

    private static void position(Position p, List<String> en, List<String> zh) {
        add(Type.POSITION, p, en, zh);
    }

    private static void add(Type type, Enum<?> value, List<String> en, List<String> zh) {
        Entry e = new Entry(type, value);
        en.forEach(w -> ENGLISH.put(w, e));
        zh.forEach(w -> chinese(w, e));
    }

    private static void chinese(String w, Entry e) {
        CHINESE.put(w, e);
        longestChinese = Math.max(longestChinese, w.length());
    }

    /** The entry for a lower-case English word, folding plurals ({@code boxes}, {@code circles}); null if unknown. */
    static Entry english(String word) {
        Entry e = ENGLISH.get(word);
        if (e == null && word.endsWith("es")) {
            e = ENGLISH.get(word.substring(0, word.length() - 2));
        }
        if (e == null && word.endsWith("s")) {
            e = ENGLISH.get(word.substring(0, word.length() - 1));
        }
        return e;
    }

    /** Length of the longest Chinese entry starting at {@code from}, or 0. */
    static int chineseMatch(String text, int from) {
        for (int len = Math.min(longestChinese, text.length() - from); len > 0; len--) {
            if (CHINESE.containsKey(text.substring(from, from + len))) {
                return len;
            }
        }
        return 0;
    }

    static Entry chinese(String word) {
        return CHINESE.get(word);
    }
}
