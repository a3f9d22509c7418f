package dev.tempera.sampling.internal;

import java.util.List;

/**
 * Bans token sequences: a single-token word is always banned; for a longer one only its last token
 * is banned, and only when the tokens before it end the history (vLLM's {@code bad_words},
 * transformers' {@code bad_words_ids}). vLLM matches the generated tokens only; transformers and
 * llama.cpp the prompt too ({@code outputOnly}).
 */
final class BadWords implements LogitsProcessor {

    private final int[][] words;
    private final boolean outputOnly;

    BadWords(List<List<Integer>> words, int vocab, boolean outputOnly) {
        this.words = new int[words.size()][];
        for (int w = 0; w < words.size(); w++) {
            List<Integer> word = words.get(w);
            this.words[w] = new int[word.size()];
            for (int i = 0; i < word.size(); i++) {
                TokenIds.check("bad_words", word.get(i), vocab);
                this.words[w][i] = word.get(i);
            }
        }
        this.outputOnly = outputOnly;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        c.requireDense("bad_words");
        int from = outputOnly ? ctx.promptLength : 0;
        for (int[] word : words) {
            int last = word.length - 1;
            if (TokenIds.endsWith(ctx, from, word, last)) {
                c.dense[word[last]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "bad_words(" + words.length + ")";
    }
}
