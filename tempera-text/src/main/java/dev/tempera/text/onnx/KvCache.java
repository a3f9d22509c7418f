package dev.tempera.text.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;

/**
 * The key/value cache after some tokens: the {@code present.*} tensors of the run that produced it, fed unchanged
 * (no copy) as the {@code past_key_values.*} of the next run. The cache owns the {@link OrtSession.Result} those
 * tensors live in, unless it is a {@link #view()} (or the empty cache, whose tensors belong to the decoder).
 * Immutable; closing frees the native memory of an owning cache and is idempotent.
 */
public final class KvCache implements AutoCloseable {

    private final OnnxTensor[] tensors;
    private final OrtSession.Result owner;
    private final int length;
    private boolean closed;

    KvCache(OnnxTensor[] tensors, OrtSession.Result owner, int length) {
        this.tensors = tensors;
        this.owner = owner;
        this.length = length;
    }

    /** The number of positions cached. */
    public int length() {
        return length;
    }

    /** Whether closing this cache frees native memory. */
    public boolean ownsTensors() {
        return owner != null;
    }

    /** The same tensors without ownership: valid while this cache is open. */
    public KvCache view() {
        return new KvCache(tensors, null, length);
    }

    OnnxTensor tensor(int i) {
        if (closed) {
            throw new IllegalStateException("the key/value cache was closed");
        }
        return tensors[i];
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (owner != null) {
                owner.close();
            }
        }
    }
}
