package dev.tempera.runtime.hub;

/**
 * Told how far each file download has come. Calls for one download come one at a time and in order (from the
 * HTTP client's threads, not necessarily the caller's), with {@code bytesDone} never decreasing; a resumed download
 * starts at the bytes it already had. Files that are already cached get no calls.
 */
@FunctionalInterface
public interface DownloadProgress {

    /**
     * @param file the repo path, e.g. {@code onnx/model_fp16.onnx}
     * @param bytesDone bytes of the file on disk so far
     * @param totalBytes the file's size, or -1 when the server did not say
     */
    void update(String file, long bytesDone, long totalBytes);

    /** The file is complete and checked ({@code bytes} long). */
    default void finished(String file, long bytes) {}

    /** Reports nothing. */
    static DownloadProgress silent() {
        return (file, done, total) -> { };
    }
}
