package dev.tempera.text.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.text.LanguageModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one with-past decoder graph: prefill and decode steps over a {@link KvCache}, writing the last position's
 * logits into the caller's array. Shared by decoder-only LMs and the language half of vision-language models; the
 * caller supplies the token tensor ({@code input_ids} or {@code inputs_embeds}) and the {@code position_ids}.
 *
 * <p>Per step it adds what the graph asks for (read from {@link DecoderLayout}): {@code attention_mask} (all ones,
 * a zero-copy view of one direct buffer), the cache (the previous run's {@code present.*} tensors as they are),
 * {@code use_cache_branch} (false on the first pass, true after, as Optimum does) and {@code num_logits_to_keep}
 * (1: only the last position's logits are computed, a large saving at prefill). The logits of single-position runs
 * are written by ONNX Runtime straight into a pinned direct buffer, so a decode step copies only that row into the
 * caller's array and allocates no Java arrays.
 *
 * <p>Not thread-safe (the pinned logits buffer and the feed map are reused): one sequence steps at a time per
 * decoder. The decoder owns its session; {@link #close()} frees it and the decoder's own tensors.
 */
public final class OnnxDecoder implements AutoCloseable {

    private final OnnxModel model;
    private final DecoderLayout layout;
    private final int contextLength;
    private final int vocab;
    private final OrtEnvironment env = OnnxModel.environment();
    private final LongBuffer ones;
    private final OnnxTensor emptyPast;
    private final OnnxTensor useCacheFalse;
    private final OnnxTensor useCacheTrue;
    private final OnnxTensor keepOne;
    private final OnnxTensor pinnedLogits;
    private final FloatBuffer pinnedFloats;
    private final ShortBuffer pinnedShorts;
    private final Map<String, OnnxTensor> feeds = new HashMap<>();
    private final Map<String, OnnxValue> pinned = new HashMap<>();
    private final java.util.Set<String> presentSet;
    private long sessionNanos;

    /**
     * @param vocabSize the logits width when the graph leaves it dynamic (config.json's {@code vocab_size}); ignored
     *     when the graph states it
     */
    public OnnxDecoder(OnnxModel model, DecoderLayout layout, int contextLength, int vocabSize) {
        this.model = model;
        this.layout = layout;
        if (contextLength < 2) {
            throw new IllegalArgumentException("contextLength must be >= 2, but is: " + contextLength);
        }
        this.contextLength = contextLength;
        this.vocab = layout.vocabSize() > 0 ? Math.toIntExact(layout.vocabSize()) : vocabSize;
        if (vocab < 2) {
            throw new IllegalArgumentException("the vocabulary size must be >= 2 (graph: " + layout.vocabSize()
                    + ", config: " + vocabSize + ")");
        }
        this.presentSet = new java.util.LinkedHashSet<>(layout.presentNames());
        try {
            ones = ByteBuffer.allocateDirect(contextLength * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
            for (int i = 0; i < contextLength; i++) {
                ones.put(i, 1L);
            }
            long[] emptyShape = {1, layout.kvHeads(), 0, layout.headDim()};
            emptyPast = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()),
                    emptyShape, layout.kvType());
            useCacheFalse = OnnxTensor.createTensor(env, new boolean[] {false});
            useCacheTrue = OnnxTensor.createTensor(env, new boolean[] {true});
            keepOne = OnnxTensor.createTensor(env, 1L);
            long[] logitsShape = layout.logitsRank() == 3 ? new long[] {1, 1, vocab} : new long[] {1, vocab};
            int width = layout.logitsType() == OnnxJavaType.FLOAT16 ? 2 : 4;
            ByteBuffer pinnedBytes = ByteBuffer.allocateDirect(vocab * width).order(ByteOrder.nativeOrder());
            pinnedFloats = pinnedBytes.asFloatBuffer();
            pinnedShorts = pinnedBytes.asShortBuffer();
            pinnedLogits = OnnxTensor.createTensor(env, pinnedBytes, logitsShape, layout.logitsType());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the decoder's tensors for " + model.file() + ": "
                    + e.getMessage(), e);
        }
    }

    public DecoderLayout layout() {
        return layout;
    }

    public int vocabSize() {
        return vocab;
    }

    public int contextLength() {
        return contextLength;
    }

    public OnnxModel model() {
        return model;
    }

    /** Wall time inside ONNX Runtime's run of this decoder so far (see {@link LanguageModel#sessionNanos()}). */
    public long sessionNanos() {
        return sessionNanos;
    }

    /** Adds the time of a related graph's run (an embedding lookup) to {@link #sessionNanos()}. */
    public void addSessionNanos(long nanos) {
        sessionNanos += nanos;
    }

    /** A cache of length 0 (zero-length past tensors of the model's dtype), owned by this decoder. */
    public KvCache emptyCache() {
        OnnxTensor[] t = new OnnxTensor[layout.pastNames().size()];
        java.util.Arrays.fill(t, emptyPast);
        return new KvCache(t, null, 0);
    }

    /**
     * Runs {@code length} new positions after {@code past} and writes the logits of the last one into
     * {@code logits}. Returns the cache holding {@code past.length() + length} positions; {@code past} is left as
     * it is (the caller closes it when it owned it and no longer needs it). The caller owns {@code tokens} and
     * {@code positions} (null when the graph has no {@code position_ids}).
     *
     * @throws IllegalStateException when the context would overflow or ONNX Runtime fails
     */
    public KvCache run(OnnxTensor tokens, int length, OnnxTensor positions, KvCache past, float[] logits) {
        int total = past.length() + length;
        if (total > contextLength) {
            throw new IllegalStateException("the sequence would hold " + total + " tokens, more than the context length "
                    + contextLength + " of " + model.file().getFileName());
        }
        if (logits.length != vocab) {
            throw new IllegalArgumentException("logits must have length " + vocab + ", but has: " + logits.length);
        }
        LongBuffer maskView = ones.duplicate();
        maskView.position(0).limit(total);
        OrtSession.Result result = null;
        try (OnnxTensor mask = OnnxTensor.createTensor(env, maskView, new long[] {1, total})) {
            feeds.clear();
            feeds.put(layout.tokenInput(), tokens);
            feeds.put("attention_mask", mask);
            if (layout.positionRank() > 0) {
                feeds.put("position_ids", positions);
            }
            for (int i = 0; i < layout.pastNames().size(); i++) {
                feeds.put(layout.pastNames().get(i), past.tensor(i));
            }
            if (layout.useCacheBranch()) {
                feeds.put("use_cache_branch", past.length() > 0 ? useCacheTrue : useCacheFalse);
            }
            if (layout.numLogitsToKeep()) {
                feeds.put("num_logits_to_keep", keepOne);
            }
            boolean single = length == 1 || layout.numLogitsToKeep();
            if (single) {
                pinned.clear();
                pinned.put("logits", pinnedLogits);
                long t0 = System.nanoTime();
                result = model.session().run(feeds, presentSet, pinned);
                sessionNanos += System.nanoTime() - t0;
                readPinned(logits);
            } else {
                long t0 = System.nanoTime();
                result = model.session().run(feeds);
                sessionNanos += System.nanoTime() - t0;
                readLastRow((OnnxTensor) result.get("logits").orElseThrow(), length, logits);
            }
            OnnxTensor[] present = new OnnxTensor[layout.presentNames().size()];
            for (int i = 0; i < present.length; i++) {
                present[i] = (OnnxTensor) result.get(layout.presentNames().get(i)).orElseThrow(() ->
                        new IllegalStateException("the run returned no cache output"));
            }
            KvCache next = new KvCache(present, result, total);
            result = null;
            return next;
        } catch (OrtException e) {
            throw new IllegalStateException("running " + model.file() + " failed at position " + past.length() + ": "
                    + e.getMessage(), e);
        } finally {
            if (result != null) {
                result.close();
            }
        }
    }

    private void readPinned(float[] logits) {
        if (layout.logitsType() == OnnxJavaType.FLOAT16) {
            for (int i = 0; i < vocab; i++) {
                logits[i] = Fp16Conversions.fp16ToFloat(pinnedShorts.get(i));
            }
        } else {
            pinnedFloats.get(0, logits);
        }
    }

    private void readLastRow(OnnxTensor t, int length, float[] logits) {
        long[] shape = t.getInfo().getShape();
        long rowsInTensor = shape.length == 3 ? shape[1] : 1;
        if (shape[shape.length - 1] != vocab) {
            throw new IllegalStateException("logits of " + model.file() + " have width " + shape[shape.length - 1]
                    + ", expected " + vocab);
        }
        int offset = Math.toIntExact((rowsInTensor - 1) * vocab);
        if (layout.logitsType() == OnnxJavaType.FLOAT16) {
            ShortBuffer s = t.getShortBuffer();
            for (int i = 0; i < vocab; i++) {
                logits[i] = Fp16Conversions.fp16ToFloat(s.get(offset + i));
            }
        } else {
            FloatBuffer f = t.getFloatBuffer();
            f.get(offset, logits);
        }
    }

    @Override
    public void close() {
        emptyPast.close();
        useCacheFalse.close();
        useCacheTrue.close();
        keepOne.close();
        pinnedLogits.close();
        model.close();
    }
}
