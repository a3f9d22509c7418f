package dev.tempera.text;

import dev.tempera.runtime.tokenizer.IncrementalDetokenizer;
import dev.tempera.runtime.tokenizer.TextTokenizer;
import dev.tempera.sampling.FinishReason;
import dev.tempera.sampling.Sampler;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.sampling.SamplingWorkspace;
import dev.tempera.sampling.TokenSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The decode loop. One prefill, then for each of the {@code n} sequences: sample a token with Tempera's
 * {@link Sampler} (sequence {@code i} uses {@code params.forChild(i)}, so its tokens depend only on its own seed),
 * detokenise it incrementally, check the stop conditions, feed it to the model, repeat.
 *
 * <p>Stop conditions, in the order they are checked after each token:
 * <ol>
 *   <li>an EOS id of the model (unless {@code ignoreEos}) or a stop token id, once {@code min_tokens} tokens exist
 *       (the sampler bans them before) — finish reason {@code stop}, stop reason the id;</li>
 *   <li>{@code max_tokens}, or the context being full — {@code length};</li>
 *   <li>a stop string in the detokenised text, once {@code min_tokens} tokens exist — {@code stop}, the text ends
 *       before the match (or after it when asked); a stop string completed by the last token allowed by
 *       {@code max_tokens} wins over {@code length}.</li>
 * </ol>
 * The token that ends a sequence is in {@link Completion#tokens()} but is never fed to the model.
 *
 * <p>Sequences share the prefill's cache ({@link DecodeState#fork()}) and decode one after another with batch 1,
 * so a sequence's logits are the same whatever {@code n} is (batch-invariant by construction; the cost is that
 * {@code n} sequences take {@code n} times the decode steps of one).
 *
 * <pre>{@code
 * GenerationResult r = Generator.generate(lm, logits -> lm.prefill(ids, logits), ids, tokenizer,
 *         eos, GenerationRequest.of(params), StreamListener.NONE);
 * }</pre>
 */
public final class Generator {

    /** Runs the model-specific prompt pass: writes the next-token logits and returns the state after the prompt. */
    @FunctionalInterface
    public interface Prefill {
        DecodeState run(float[] logits);
    }

    private Generator() {
    }

    /**
     * Generates {@code request.params().n()} sequences after {@code prompt}.
     *
     * @param prompt the prompt's token ids as the model sees them (penalties and the detokeniser read them)
     * @param eosTokenIds the model's end-of-sequence ids (generation_config.json)
     * @throws IllegalArgumentException when the prompt leaves no room in the context for one token
     */
    public static GenerationResult generate(LanguageModel model, Prefill prefill, int[] prompt, TextTokenizer tokenizer,
                                            List<Integer> eosTokenIds, GenerationRequest request,
                                            StreamListener listener) {
        return generateEach(model, prefill, prompt, tokenizer, eosTokenIds, List.of(request), listener).get(0);
    }

    /**
     * Runs the prompt once and answers each request from that one prefill (the sampling configurations of
     * {@code tempera describe}, say). Every result reports the shared prefill time. The listener's sequence
     * indices count on across requests (request 2's first sequence follows request 1's last).
     */
    public static List<GenerationResult> generateEach(LanguageModel model, Prefill prefill, int[] prompt,
                                                      TextTokenizer tokenizer, List<Integer> eosTokenIds,
                                                      List<GenerationRequest> requests, StreamListener listener) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prefill, "prefill");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(listener, "listener");
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("requests must hold at least 1 request, but holds 0");
        }
        int room = model.contextLength() - prompt.length;
        if (room < 1) {
            throw new IllegalArgumentException("the prompt holds " + prompt.length + " tokens; the model's context is "
                    + model.contextLength() + " tokens, so it must hold at most " + (model.contextLength() - 1));
        }
        int vocab = model.vocabSize();
        float[] promptLogits = new float[vocab];
        long t0 = System.nanoTime();
        List<GenerationResult> results = new ArrayList<>();
        try (DecodeState prefix = prefill.run(promptLogits)) {
            long prefillNanos = System.nanoTime() - t0;
            SamplingWorkspace workspace = new SamplingWorkspace(vocab);
            float[] logits = new float[vocab];
            int streamIndex = 0;
            for (GenerationRequest request : requests) {
                int[] eos = request.ignoreEos() ? new int[0]
                        : eosTokenIds.stream().mapToInt(Integer::intValue).toArray();
                SamplingParams params = request.params();
                List<Completion> completions = new ArrayList<>();
                long decodeNanos = 0;
                long sessionNanos = 0;
                for (int i = 0; i < params.n(); i++) {
                    SamplingParams child = fitToContext(params.n() == 1 ? params : params.forChild(i), room);
                    Sampler sampler = Sampler.builder(child, vocab).prompt(prompt).eosTokenIds(eos)
                            .workspace(workspace).build();
                    long s0 = System.nanoTime();
                    long ort0 = model.sessionNanos();
                    Completion c;
                    try (DecodeState state = prefix.fork()) {
                        c = decodeOne(i, streamIndex++, model, state, sampler, promptLogits, logits, prompt, tokenizer,
                                request, listener);
                    }
                    long took = System.nanoTime() - s0;
                    decodeNanos += took;
                    sessionNanos += model.sessionNanos() - ort0;
                    c = new Completion(c.index(), c.text(), c.tokens(), c.finishReason(), c.stopReason(),
                            c.logprobs(), c.seed(), took);
                    completions.add(c);
                    listener.onFinish(streamIndex - 1, c);
                }
                results.add(new GenerationResult(prompt.length, completions, prefillNanos, decodeNanos,
                        sessionNanos));
            }
            return results;
        }
    }

    private static SamplingParams fitToContext(SamplingParams p, int room) {
        if (p.maxTokens() <= room) {
            return p;
        }
        return p.toBuilder().maxTokens(room).minTokens(Math.min(p.minTokens(), room)).build();
    }

    private static Completion decodeOne(int index, int streamIndex, LanguageModel model, DecodeState state, Sampler sampler,
                                        float[] promptLogits, float[] logits, int[] prompt, TextTokenizer tokenizer,
                                        GenerationRequest request, StreamListener listener) {
        SamplingParams p = sampler.params();
        boolean wantLogprobs = p.logprobs().isPresent();
        int longest = request.longestStop();
        IncrementalDetokenizer detok = new IncrementalDetokenizer(tokenizer, prompt, request.skipSpecialTokens());
        StringBuilder text = new StringBuilder();
        List<TokenLogprobs> logprobs = new ArrayList<>();
        int[] tokens = new int[Math.min(p.maxTokens(), 256)];
        int count = 0;
        int streamed = 0;
        float[] current = promptLogits;
        FinishReason finish = null;
        String stopReason = "";
        while (true) {
            int token;
            if (wantLogprobs) {
                TokenSample ts = sampler.sample(current);
                token = ts.token();
                logprobs.add(new TokenLogprobs(token, tokenizer.decode(new int[] {token}, false), ts.logprob(),
                        ts.processedLogprob(), ts.rank(), ts.topLogprobs()));
            } else {
                token = sampler.next(current);
            }
            if (count == tokens.length) {
                tokens = Arrays.copyOf(tokens, tokens.length * 2);
            }
            tokens[count++] = token;
            int before = text.length();
            text.append(detok.push(token));
            if (sampler.isFinished()) {
                finish = sampler.finishReason();
                stopReason = finish == FinishReason.STOP ? Integer.toString(token) : "";
                text.append(detok.flush());
            }
            if (longest > 0 && count >= p.minTokens()) {
                int[] match = findStop(text, Math.max(0, before - longest + 1), request.stop());
                if (match != null) {
                    finish = FinishReason.STOP;
                    String s = request.stop().get(match[1]);
                    stopReason = s;
                    text.setLength(request.includeStopStringInOutput() ? match[0] + s.length() : match[0]);
                }
            }
            int safe = finish != null ? text.length() : Math.max(streamed, text.length() - Math.max(0, longest - 1));
            if (safe > streamed) {
                listener.onText(streamIndex, text.substring(streamed, safe));
                streamed = safe;
            }
            if (finish != null) {
                break;
            }
            model.decode(state, token, logits);
            current = logits;
        }
        OptionalLong seed = p.isGreedy() ? OptionalLong.empty() : OptionalLong.of(sampler.seed());
        return new Completion(index, text.toString(), Arrays.copyOf(tokens, count), finish, stopReason, logprobs,
                seed, 0);
    }

    /** The earliest match of any stop string starting at or after {@code from}: {position, stop index}, or null. */
    static int[] findStop(CharSequence text, int from, List<String> stops) {
        int best = -1;
        int which = -1;
        String s = text.toString();
        for (int k = 0; k < stops.size(); k++) {
            int at = s.indexOf(stops.get(k), from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
                which = k;
            }
        }
        return best < 0 ? null : new int[] {best, which};
    }
}
