package dev.tempera.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads which scene attributes a text mentions, in English, Chinese or a mix of both. Built to accept what a model
 * might write, not only {@link CaptionGrammar}'s captions: articles, extra words and capitalisation are ignored;
 * synonyms are folded ({@code centre/center/middle}, {@code square/box}, {@code grey/gray}, {@code 左边/左侧});
 * word order within a clause is free.
 *
 * <p>How it reads, in order:
 * <ol>
 *   <li>Tokens: English words and Chinese longest-match words found in the lexicon; everything else is skipped.
 *       Punctuation, {@code and/with/和/以及…} end a clause.
 *   <li>Background: a colour right before a background word ({@code blue background}, {@code 蓝色的背景}), or after
 *       a background word and a copula ({@code the background is blue}, {@code 背景是蓝色}) when no shape noun follows.
 *   <li>Shapes: each shape noun starts a shape, taking the colour and size words before it in its clause. Leftover
 *       colour or size words after it fill attributes it lacks ({@code a circle that is red}).
 *   <li>Positions go to the nearest shape of their clause. A clause without a shape gives its position to the last
 *       shape mentioned if that has none, else to the first shape of the next clause that states no position
 *       ({@code on the left, a circle; at the bottom, a square}).
 * </ol>
 * When a text states an attribute twice for one shape, the first wins. Stateless and thread-safe.
 *
 * {@code Description d = TextParser.parse("A big red circle in the middle of a blue background");}
 */
public final class TextParser {

    private TextParser() {}

    private record Token(Lexicon.Type type, Enum<?> value) {}

    private static final class Building {
        ShapeKind kind;
        ShapeColor color;
        Size size;
        Position position;
        final int tokenIndex;

        Building(int tokenIndex) {
            this.tokenIndex = tokenIndex;
        }

        MentionedShape build() {
            return new MentionedShape(Optional.ofNullable(kind), Optional.ofNullable(color), Optional.ofNullable(size),
                    Optional.ofNullable(position));
        }
    }

    /**
     * Parses {@code text}. A text that names nothing known gives an {@linkplain Description#isEmpty() empty}
     * description.
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    public static Description parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("description text must contain at least one non-blank character, but is: "
                    + (text == null ? "null" : "\"" + text + "\""));
        }
        List<List<Token>> clauses = clauses(tokens(text));
        ShapeColor background = null;
        List<Building> shapes = new ArrayList<>();
        Position carried = null;
        for (List<Token> clause : clauses) {
            boolean[] used = new boolean[clause.size()];
            // Background colour.
            for (int i = 0; i < clause.size(); i++) {
                if (clause.get(i).type() != Lexicon.Type.BACKGROUND) {
                    continue;
                }
                if (i > 0 && clause.get(i - 1).type() == Lexicon.Type.COLOR && !used[i - 1]) {
                    background = first(background, (ShapeColor) clause.get(i - 1).value());
                    used[i - 1] = true;
                } else if (i + 2 < clause.size() && clause.get(i + 1).type() == Lexicon.Type.COPULA
                        && clause.get(i + 2).type() == Lexicon.Type.COLOR && !startsShape(clause, i + 2)) {
                    background = first(background, (ShapeColor) clause.get(i + 2).value());
                    used[i + 2] = true;
                }
            }
            // Shapes with their preceding colour and size words.
            List<Building> here = new ArrayList<>();
            ShapeColor pendingColor = null;
            Size pendingSize = null;
            for (int i = 0; i < clause.size(); i++) {
                Token t = clause.get(i);
                if (used[i]) {
                    continue;
                }
                switch (t.type()) {
                    case COLOR:
                        if (pendingColor == null) {
                            pendingColor = (ShapeColor) t.value();
                            used[i] = true;
                        }
                        break;
                    case SIZE:
                        if (pendingSize == null) {
                            pendingSize = (Size) t.value();
                            used[i] = true;
                        }
                        break;
                    case KIND: {
                        Building b = new Building(i);
                        b.kind = (ShapeKind) t.value();
                        b.color = pendingColor;
                        b.size = pendingSize;
                        pendingColor = null;
                        pendingSize = null;
                        here.add(b);
                        used[i] = true;
                        break;
                    }
                    default:
                        break;
                }
            }
            // Leftover colour / size words fill what the last shape (of this clause, else overall) lacks.
            Building last = !here.isEmpty() ? here.get(here.size() - 1)
                    : !shapes.isEmpty() ? shapes.get(shapes.size() - 1) : null;
            if (last != null) {
                if (last.color == null) {
                    last.color = pendingColor;
                }
                if (last.size == null) {
                    last.size = pendingSize;
                }
            }
            // Positions.
            for (int i = 0; i < clause.size(); i++) {
                if (clause.get(i).type() != Lexicon.Type.POSITION) {
                    continue;
                }
                Position p = (Position) clause.get(i).value();
                if (here.isEmpty()) {
                    if (last != null && last.position == null) {
                        last.position = p;
                    } else if (carried == null) {
                        carried = p; // "at the bottom, a small square": waits for the next shape
                    }
                    continue;
                }
                Building target = nearest(here, i);
                if (target.position == null) {
                    target.position = p;
                }
            }
            if (carried != null && !here.isEmpty() && clauseHasNoPosition(clause)) {
                if (here.get(0).position == null) {
                    here.get(0).position = carried;
                }
                carried = null;
            }
            shapes.addAll(here);
        }
        return new Description(Optional.ofNullable(background), shapes.stream().map(Building::build).toList());
    }

    private static boolean clauseHasNoPosition(List<Token> clause) {
        return clause.stream().noneMatch(t -> t.type() == Lexicon.Type.POSITION);
    }

    private static boolean startsShape(List<Token> clause, int colorIndex) {
        for (int j = colorIndex + 1; j < clause.size(); j++) {
            Lexicon.Type t = clause.get(j).type();
            if (t == Lexicon.Type.KIND) {
                return true;
            }
            if (t != Lexicon.Type.SIZE && t != Lexicon.Type.COLOR) {
                return false;
            }
        }
        return false;
    }

    private static Building nearest(List<Building> here, int tokenIndex) {
        Building best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Building b : here) {
            // Ties go to the shape before the position word ("a circle on the left and ...").
            int d = Math.abs(b.tokenIndex - tokenIndex) * 2 + (b.tokenIndex > tokenIndex ? 1 : 0);
            if (d < bestDistance) {
                bestDistance = d;
                best = b;
            }
        }
        return best;
    }

    private static <T> T first(T existing, T candidate) {
        return existing != null ? existing : candidate;
    }

    private static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        String s = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                int j = i;
                while (j < s.length() && s.charAt(j) >= 'a' && s.charAt(j) <= 'z') {
                    j++;
                }
                Lexicon.Entry e = Lexicon.english(s.substring(i, j));
                if (e != null) {
                    out.add(new Token(e.type(), e.value()));
                }
                i = j;
            } else if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                int len = Lexicon.chineseMatch(s, i);
                if (len > 0) {
                    Lexicon.Entry e = Lexicon.chinese(s.substring(i, i + len));
                    out.add(new Token(e.type(), e.value()));
                    i += len;
                } else {
                    i++;
                }
            } else {
                if (",;.!?:，；。！？：、\n".indexOf(c) >= 0) {
                    out.add(new Token(Lexicon.Type.SEPARATOR, null));
                }
                i++;
            }
        }
        return out;
    }

    private static List<List<Token>> clauses(List<Token> tokens) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : tokens) {
            if (t.type() == Lexicon.Type.SEPARATOR) {
                if (!current.isEmpty()) {
                    out.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
