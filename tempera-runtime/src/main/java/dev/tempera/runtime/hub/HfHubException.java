package dev.tempera.runtime.hub;

/**
 * A download from, or a look-up on, the Hugging Face hub failed: an HTTP error, a broken connection, a file that
 * fails its size or sha256 check, or offline mode with the file not cached. The message names the model, the file
 * and the URL or cache folder involved.
 */
public final class HfHubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    HfHubException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    HfHubException(String message) {
        this(message, 0, null);
    }

    /** The HTTP status that caused the failure, or 0 when there was none (network, checks, offline). */
    public int status() {
        return status;
    }
}
