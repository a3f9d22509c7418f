package dev.tempera.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Samples one token for each of many sequences at once, splitting the rows over the threads of an
 * executor. Each worker slot has its own {@link SamplingWorkspace}; each row's {@link Sampler} keeps
 * its own history and seed, so the tokens are exactly those of sampling the rows one by one, in any
 * order, on any number of threads.
 *
 * <pre>{@code
 * try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
 *     BatchSampler batch = new BatchSampler(vocabSize, pool, 2);
 *     batch.next(samplers, logitsRows, tokens);   // tokens[i] from samplers[i] on logitsRows[i]
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one batch call at a time. The executor is not closed by this class. The
 * calling thread takes the first slice itself.
 */
public final class BatchSampler {

    private final ExecutorService executor;
    private final SamplingWorkspace[] workspaces;
    private final List<Future<?>> pending;

    /**
     * @param threads how many slices to split a batch into (at least 1); one is run on the calling
     *     thread, the others on {@code executor}
     */
    public BatchSampler(int vocabSize, ExecutorService executor, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but is: " + threads);
        }
        if (executor == null && threads > 1) {
            throw new IllegalArgumentException("an executor is needed for threads > 1");
        }
        this.executor = executor;
        this.workspaces = new SamplingWorkspace[threads];
        for (int i = 0; i < threads; i++) {
            workspaces[i] = new SamplingWorkspace(vocabSize);
        }
        this.pending = new ArrayList<>(threads);
    }

    /**
     * Samples {@code out[i] = rows[i].next(logits[i])} for every row.
     *
     * @throws IllegalArgumentException if the arrays differ in length, or a row's logits are invalid
     *     (the first failure is rethrown after every slice has finished)
     */
    public void next(Sampler[] rows, float[][] logits, int[] out) {
        if (rows.length != logits.length || rows.length != out.length) {
            throw new IllegalArgumentException("rows, logits and out must have the same length, but are: "
                    + rows.length + ", " + logits.length + ", " + out.length);
        }
        int n = rows.length;
        int slices = Math.min(workspaces.length, Math.max(1, n));
        pending.clear();
        for (int s = 1; s < slices; s++) {
            int from = s * n / slices;
            int to = (s + 1) * n / slices;
            SamplingWorkspace ws = workspaces[s];
            pending.add(executor.submit(() -> run(rows, logits, out, from, to, ws)));
        }
        RuntimeException first = null;
        try {
            run(rows, logits, out, 0, n / slices, workspaces[0]);
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sampling a batch", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void run(Sampler[] rows, float[][] logits, int[] out, int from, int to, SamplingWorkspace ws) {
        for (int i = from; i < to; i++) {
            out[i] = rows[i].next(logits[i], ws);
        }
    }
}
