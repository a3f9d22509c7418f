package dev.tempera.sampling;

import dev.tempera.sampling.internal.Candidates;
import dev.tempera.sampling.internal.ProcessorChain;
import dev.tempera.sampling.internal.RawLogprobs;
import dev.tempera.sampling.internal.StepContext;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples the tokens of one sequence: runs the logits of each step through the processor chain of
 * its {@link SamplingParams} (in the order of {@link SamplingParams#order()}) and draws a token.
 *
 * <pre>{@code
 * SamplingParams params = SamplingParams.builder().temperature(0.7).topP(0.9).seed(42).build();
 * Sampler sampler = Sampler.builder(params, vocabSize).prompt(promptIds).eosTokenIds(eos).build();
 * while (!sampler.isFinished()) {
 *     float[] logits = model.step(lastToken);        // your model
 *     lastToken = sampler.next(logits);              // sampled and appended to the history
 * }
 * }</pre>
 *
 * <p><b>Reproducible by construction.</b> The random number for a step is a pure function of
 * (seed, position in the sequence, draw index) through Philox4x32-10, so a seeded sequence gives the
 * same tokens whatever the batch size, batch order or thread count. Without a seed a fresh one is
 * drawn from {@link SecureRandom} and reported by {@link #seed()}.
 *
 * <p><b>Greedy</b> ({@code temperature < 1e-5}) takes the argmax after the masks, bias and penalties;
 * temperature and truncation are skipped, as in vLLM (the llama.cpp order still runs XTC and
 * typical-p first, as llama.cpp does).
 *
 * <p><b>Threads and memory.</b> A sampler holds its sequence's history and is not thread-safe. The
 * vocabulary-sized scratch lives in a {@link SamplingWorkspace}: by default each sampler creates one;
 * share one between samplers that run on the same thread. {@link #next} does not allocate in steady
 * state; {@link #sample} allocates the returned record (and the alternatives when logprobs are
 * requested). The caller's logits array is never written.
 */
public final class Sampler {

    private final SamplingParams params;
    private final int vocab;
    private final ProcessorChain chain;
    private final StepContext ctx;
    private final SamplingWorkspace ownWorkspace;
    private final int[] stopIds;
    private final boolean seedWasRandom;
    private FinishReason finishReason;

    private Sampler(Builder b) {
        this.params = b.params;
        this.vocab = b.vocab;
        int[] stops = mergeStops(params.stopTokenIds(), b.eosTokenIds);
        for (int id : stops) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("stop and EOS token ids must be in [0, " + (vocab - 1)
                        + "], but one is: " + id);
            }
        }
        for (int id : b.prompt) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("prompt token ids must be in [0, " + (vocab - 1)
                        + "], but one is: " + id);
            }
        }
        for (int id : b.generated) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("generated token ids must be in [0, " + (vocab - 1)
                        + "], but one is: " + id);
            }
        }
        if (b.generated.length >= params.maxTokens()) {
            throw new IllegalArgumentException("generated tokens must be fewer than max_tokens ("
                    + params.maxTokens() + "), but are: " + b.generated.length);
        }
        this.stopIds = stops;
        this.chain = ProcessorChain.build(params, vocab, stops);
        this.seedWasRandom = params.seed().isEmpty();
        long seed = seedWasRandom ? new SecureRandom().nextLong() : params.seed().getAsLong();
        this.ctx = new StepContext(b.prompt, seed, params.maxTokens());
        for (int id : b.generated) {
            ctx.accept(id);
        }
        this.ownWorkspace = b.workspace != null ? b.workspace : new SamplingWorkspace(vocab);
        if (ownWorkspace.vocabSize() != vocab) {
            throw new IllegalArgumentException("workspace vocabulary size must be " + vocab + ", but is: "
                    + ownWorkspace.vocabSize());
        }
    }

    /** A sampler with no prompt, no EOS ids and its own workspace. */
    public static Sampler create(SamplingParams params, int vocabSize) {
        return builder(params, vocabSize).build();
    }

    public static Builder builder(SamplingParams params, int vocabSize) {
        return new Builder(params, vocabSize);
    }

    /**
     * Samples the next token with this sampler's own workspace, appends it to the history and
     * returns it. Allocation-free in steady state.
     *
     * @throws IllegalArgumentException if {@code logits.length != vocabSize}, or a logit is NaN or
     *     +inf, or every logit is -inf
     * @throws IllegalStateException if the sequence already finished
     */
    public int next(float[] logits) {
        return next(logits, ownWorkspace);
    }

    /** As {@link #next(float[])} with a workspace of the calling thread (see {@link BatchSampler}). */
    public int next(float[] logits, SamplingWorkspace workspace) {
        checkRunning();
        Candidates c = workspace.candidates;
        int token = choose(logits, c);
        accept(token);
        return token;
    }

    /**
     * Samples the next token like {@link #next}, and returns it with its raw and processed
     * log-probabilities, its rank and (when {@code logprobs} is set) the top alternatives.
     */
    public TokenSample sample(float[] logits) {
        checkRunning();
        Candidates c = ownWorkspace.candidates;
        int token = choose(logits, c);
        boolean greedy = params.isGreedy();
        double processed = greedy ? 0.0 : Math.log(c.probabilityOf(token));
        double raw = Double.NaN;
        List<TokenLogprob> top = List.of();
        if (params.logprobs().isPresent()) {
            double lse = RawLogprobs.logSumExp(c, logits);
            raw = logits[token] - lse;
            int n = params.logprobs().getAsInt();
            if (n > 0) {
                int[] ids = new int[Math.min(n, vocab)];
                float[] vals = new float[ids.length];
                int k = RawLogprobs.top(c, logits, n, ids, vals);
                List<TokenLogprob> list = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    list.add(new TokenLogprob(ids[i], vals[i] - lse));
                }
                top = list;
            }
        }
        int rank = RawLogprobs.rank(logits, token);
        accept(token);
        return new TokenSample(token, raw, processed, rank, top, finishReason);
    }

    /**
     * The probability of every token after the whole chain, in token order (zeros for removed
     * tokens); what the next draw would be taken from. Does not draw and does not advance the
     * sequence. Greedy parameters give a one-hot distribution.
     */
    public double[] distribution(float[] logits) {
        Candidates c = ownWorkspace.candidates;
        c.reset(logits, chain.writesDense());
        double[] out = new double[vocab];
        if (params.isGreedy()) {
            chain.apply(c, ctx, true);
            out[c.argmax()] = 1.0;
            return out;
        }
        chain.apply(c, ctx, false);
        c.distribution(out);
        return out;
    }

    private int choose(float[] logits, Candidates c) {
        boolean greedy = params.isGreedy();
        c.reset(logits, chain.writesDense());
        chain.apply(c, ctx, greedy);
        if (greedy) {
            return c.argmax();
        }
        int token = c.sample(ctx.uniform(StepContext.DRAW_TOKEN));
        chain.afterSample(c, token, ctx);
        return token;
    }

    private void accept(int token) {
        ctx.accept(token);
        int generated = ctx.generated();
        if (generated >= params.minTokens() && isStop(token)) {
            finishReason = FinishReason.STOP;
        } else if (generated >= params.maxTokens()) {
            finishReason = FinishReason.LENGTH;
        }
    }

    private boolean isStop(int token) {
        for (int id : stopIds) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }

    private void checkRunning() {
        if (finishReason != null) {
            throw new IllegalStateException("the sequence already finished (" + finishReason.id() + ") after "
                    + ctx.generated() + " tokens");
        }
    }

    /** The seed in use: the one given, or the fresh one drawn when none was. */
    public long seed() {
        return ctx.seed();
    }

    /** Whether {@link #seed()} was drawn because the parameters had none. */
    public boolean seedWasRandom() {
        return seedWasRandom;
    }

    public SamplingParams params() {
        return params;
    }

    public int vocabSize() {
        return vocab;
    }

    /** Tokens generated so far. */
    public int generated() {
        return ctx.generated();
    }

    /** The generated tokens, in order (a copy). */
    public int[] generatedTokens() {
        int[] out = new int[ctx.generated()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ctx.token(ctx.promptLength() + i);
        }
        return out;
    }

    /** Why the sequence ended, or null while it goes on. */
    public FinishReason finishReason() {
        return finishReason;
    }

    public boolean isFinished() {
        return finishReason != null;
    }

    /** The processors this sampler runs, in order, one line each (for {@code tempera explain}). */
    public List<String> chainDescription() {
        return chain.describe(params.isGreedy());
    }

    private static int[] mergeStops(List<Integer> stops, int[] eos) {
        int[] all = new int[stops.size() + eos.length];
        int n = 0;
        for (int id : stops) {
            all[n++] = id;
        }
        for (int id : eos) {
            all[n++] = id;
        }
        return Arrays.stream(all, 0, n).distinct().toArray();
    }

    /** Options of a sampler beyond its parameters. */
    public static final class Builder {
        private final SamplingParams params;
        private final int vocab;
        private int[] prompt = new int[0];
        private int[] generated = new int[0];
        private int[] eosTokenIds = new int[0];
        private SamplingWorkspace workspace;

        private Builder(SamplingParams params, int vocab) {
            if (params == null) {
                throw new IllegalArgumentException("params must not be null");
            }
            if (vocab < 1) {
                throw new IllegalArgumentException("vocabSize must be >= 1, but is: " + vocab);
            }
            this.params = params;
            this.vocab = vocab;
        }

        /** The prompt's token ids: repetition penalties, n-gram bans and DRY see them. */
        public Builder prompt(int... promptTokenIds) {
            this.prompt = promptTokenIds.clone();
            return this;
        }

        /**
         * Tokens this sequence already generated after the prompt, to resume it: they count as output
         * for the penalties (vLLM and transformers count frequency and presence on output only), for
         * {@code min_tokens} and {@code max_tokens}, and for the position that keys the random draws,
         * so a resumed sequence continues exactly as the uninterrupted one would.
         */
        public Builder generated(int... generatedTokenIds) {
            this.generated = generatedTokenIds.clone();
            return this;
        }

        /** End-of-sequence ids (e.g. from generation_config.json), merged with stop_token_ids. */
        public Builder eosTokenIds(int... ids) {
            this.eosTokenIds = ids.clone();
            return this;
        }

        /** Shares a workspace (same thread only). */
        public Builder workspace(SamplingWorkspace workspace) {
            this.workspace = workspace;
            return this;
        }

        public Sampler build() {
            return new Sampler(this);
        }
    }
}
