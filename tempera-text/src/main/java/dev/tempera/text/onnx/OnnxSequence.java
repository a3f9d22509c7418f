package dev.tempera.text.onnx;

import dev.tempera.text.DecodeState;

/**
 * A {@link DecodeState} on an {@link OnnxDecoder}: the current {@link KvCache} and the offset between cache length
 * and the next position id (0 for plain RoPE; Qwen2-VL's {@code rope_delta} after an image).
 */
public final class OnnxSequence implements DecodeState {

    private KvCache cache;
    private final long positionOffset;

    public OnnxSequence(KvCache cache, long positionOffset) {
        this.cache = cache;
        this.positionOffset = positionOffset;
    }

    @Override
    public int length() {
        return cache.length();
    }

    /** The position id of the next token: {@code length() + offset}. */
    public long nextPosition() {
        return cache.length() + positionOffset;
    }

    public long positionOffset() {
        return positionOffset;
    }

    public KvCache cache() {
        return cache;
    }

    /** Replaces the cache after a step, closing the previous one when this sequence owned it. */
    public void advance(KvCache next) {
        KvCache previous = cache;
        cache = next;
        previous.close();
    }

    @Override
    public OnnxSequence fork() {
        return new OnnxSequence(cache.view(), positionOffset);
    }

    @Override
    public void close() {
        cache.close();
    }
}
