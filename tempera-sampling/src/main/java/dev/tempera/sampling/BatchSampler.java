package dev.tempera.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples one token for each of many sequences at once, the rows claimed a few at a time by the
 * threads of an executor (so rows of different cost balance out). Each worker slot has its own {@link SamplingWorkspace}; each row's {@link Sampler} keeps
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
 * calling thread samples rows too. If a row fails, the first failure is rethrown after every thread
 * has stopped; rows not reached keep their previous {@code out} value.
 */
public final class BatchSampler {

    private final ExecutorService executor;
    private final SamplingWorkspace[] workspaces;
    private final List<Future<?>> pending;
    private final AtomicInteger cursor = new AtomicInteger();

    /** Rows a worker claims at a time: small enough to balance mixed chains, large enough to be cheap. */
    private static final int ROWS_PER_CLAIM = 4;

    /**
     * @param threads how many threads share a batch (at least 1): the calling thread and
     *     {@code threads - 1} tasks on {@code executor}
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
     *     (the first failure is rethrown after every thread has stopped)
     */
    public void next(Sampler[] rows, float[][] logits, int[] out) {
        if (rows.length != logits.length || rows.length != out.length) {
            throw new IllegalArgumentException("rows, logits and out must have the same length, but are: "
                    + rows.length + ", " + logits.length + ", " + out.length);
        }
        int n = rows.length;
        int workers = Math.min(workspaces.length, Math.max(1, (n + ROWS_PER_CLAIM - 1) / ROWS_PER_CLAIM));
        pending.clear();
        cursor.set(0);
        for (int w = 1; w < workers; w++) {
            SamplingWorkspace ws = workspaces[w];
            pending.add(executor.submit(() -> run(rows, logits, out, ws)));
        }
        RuntimeException first = null;
        try {
            run(rows, logits, out, workspaces[0]);
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

    /** Claims rows a few at a time until none are left, so a slow row does not hold up a whole slice. */
    private void run(Sampler[] rows, float[][] logits, int[] out, SamplingWorkspace ws) {
        int n = rows.length;
        for (int from = cursor.getAndAdd(ROWS_PER_CLAIM); from < n; from = cursor.getAndAdd(ROWS_PER_CLAIM)) {
            for (int i = from, to = Math.min(n, from + ROWS_PER_CLAIM); i < to; i++) {
                out[i] = rows[i].next(logits[i], ws);
            }
        }
    }
}
