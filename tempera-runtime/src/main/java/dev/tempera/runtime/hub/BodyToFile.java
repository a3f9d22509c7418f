package dev.tempera.runtime.hub;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Writes a response body to a file as the buffers arrive (appending to a partial download or replacing it), feeding
 * a sha256 and a {@link DownloadProgress} on the way. The body's value is the file's final length.
 *
 * <p>Java's HTTP client has no read timeout for bodies, so {@link #idleNanos()} tells the waiting thread how long no
 * byte came, and {@link #abandon} stops a stalled transfer (the file keeps what arrived). Buffers and
 * {@link #abandon} are handled under one lock, so nothing is written after the transfer was given up.
 */
final class BodyToFile implements HttpResponse.BodySubscriber<Long> {

    private final FileChannel out;
    private final MessageDigest sha;
    private final DownloadProgress progress;
    private final String file;
    private final long total;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long done;
    private volatile long lastActivity = System.nanoTime();

    /**
     * @param target the partial file
     * @param append whether to keep its {@code have} bytes (a 206 answer) or start over (200)
     * @param sha the running sha256 (already fed with the kept bytes), or null
     */
    BodyToFile(Path target, boolean append, long have, MessageDigest sha, DownloadProgress progress, String file, long total)
            throws IOException {
        this.out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        this.sha = sha;
        this.progress = progress;
        this.file = file;
        this.total = total;
        this.done = append ? have : 0;
        progress.update(file, done, total);
    }

    /** Bytes of the file on disk so far (kept ones included). */
    synchronized long done() {
        return done;
    }

    long idleNanos() {
        return System.nanoTime() - lastActivity;
    }

    /** Stops the transfer; the body completes with an {@link IOException} saying {@code why}. */
    synchronized void abandon(String why) {
        if (subscription != null) {
            subscription.cancel();
        }
        finish(new IOException(why));
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        try {
            for (ByteBuffer b : buffers) {
                if (sha != null) {
                    sha.update(b.duplicate());
                }
                while (b.hasRemaining()) {
                    done += out.write(b);
                }
            }
            lastActivity = System.nanoTime();
            progress.update(file, done, total);
            subscription.request(1);
        } catch (IOException | RuntimeException e) {
            subscription.cancel();
            finish(e);
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        finish(t);
    }

    @Override
    public synchronized void onComplete() {
        try {
            out.close();
            result.complete(done);
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    private void finish(Throwable t) {
        try {
            out.close();
        } catch (IOException e) {
            t.addSuppressed(e);
        }
        result.completeExceptionally(t);
    }
}
