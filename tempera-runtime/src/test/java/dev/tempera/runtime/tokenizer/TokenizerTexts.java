package dev.tempera.runtime.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Texts that exercise every step of CLIP tokenization, for parity tests. */
final class TokenizerTexts {

    private TokenizerTexts() {}

    /** Hand-picked texts plus {@link #random} ones. */
    static List<String> all() {
        List<String> out = new ArrayList<>(HAND_PICKED);
        out.addAll(random(400, 11));
        return out;
    }

    static final List<String> HAND_PICKED = List.of(
            "a red circle and a yellow square",
            "  A Large RED star, on the LEFT!  ",
            "一个美丽的日落海滩，有椰子树和金色的沙滩",
            "模糊，失真，低质量",
            "蓝色背景上左边有一个大的红色圆形，底部有一个小的黄色正方形",
            "Hello, world's 123 café\n\nnew  line",
            "it's IT'S don't we'll they've I'm you're he'd",
            "it’s curly — quotes “here” … and ‘there’",
            "tabs\tand\u00A0no-break\u3000ideographic\u2003em space\u0085next line",
            "12345 3.14159 1,000,000 ١٢٣ ④ ½",
            "cafe\u0301 vs café, naïve Ñandú",
            "emoji 🙂🎉👍🏽 and ZWJ 👩\u200D💻",
            "ΣΊΣΥΦΟΣ and σοφός and ΟΔΟΣ",
            "İstanbul ß Straße ǅ ﬁ",
            "مرحبا بالعالم שלום नमस्ते こんにちは世界 안녕하세요",
            "red<|endoftext|>circle",
            "a!<|endoftext|>b",
            "<|startoftext|>hello<|endoftext|>",
            "<|ENDOFTEXT|> in capitals",
            "full-width ，。！？：；（）【】 punctuation",
            "红色circle在left边",
            "",
            "   ",
            "\u0000\u0001 control \u001f chars",
            "!!!???...,,,;;;",
            "''s 's 'S 'll'll",
            "a_b-c/d\\e|f~g`h^i",
            "lowerCamelCase UPPER_SNAKE kebab-case",
            "www.example.com/path?q=1&r=2#frag",
            "a very long prompt: " + "a large red circle on the left of a blue background, ".repeat(12));

    /** Seeded random strings mixing ASCII, Latin-1, CJK, emoji, combining marks and whitespace. */
    static List<String> random(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] ranges = {
            {0x20, 0x7E}, {0x20, 0x7E}, {0x20, 0x7E}, {0xA0, 0xFF}, {0x4E00, 0x4FFF}, {0x3000, 0x303F},
            {0x1F600, 0x1F64F}, {0x300, 0x36F}, {0x391, 0x3C9}, {0x400, 0x44F}, {0xFF01, 0xFF5E}, {0x9, 0xD}
        };
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int len = r.nextInt(40);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                int[] range = ranges[r.nextInt(ranges.length)];
                sb.appendCodePoint(range[0] + r.nextInt(range[1] - range[0] + 1));
            }
            out.add(sb.toString());
        }
        return out;
    }
}
