package dev.tempera.lab.cli.image;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --out/results.jsonl} of {@code tempera image --in}: one JSON line per image, appended and flushed as each image
 * is written, so that a run that crashes or is stopped leaves a file whose every line is whole and names a PNG that
 * exists. (Unlike {@code tempera generate --out}, which appears only when every line is done: images are the slow,
 * valuable part, and a partial sweep is still worth having.)
 *
 * <p>An existing file is replaced only when asked ({@code --force}): {@link #check} says so before the model loads,
 * and {@link #open} creates the file exclusively otherwise, so a file that appears in the meantime is not truncated
 * either. Not thread-safe.
 */
final class ImageResultsFile implements AutoCloseable {

    /** The file's name under {@code --out}. */
    static final String NAME = "results.jsonl";

    private final Path file;
    private final BufferedWriter writer;
    private int lines;

    private ImageResultsFile(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Checks that {@code file} may be written: it is absent, or {@code replace} is true.
     *
     * @throws IllegalArgumentException naming the file and {@code --force}
     */
    static void check(Path file, boolean replace) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--out: " + file + " must be the results file, but is a folder");
        }
        if (Files.exists(file) && !replace) {
            throw new IllegalArgumentException("--out already holds " + file + " from an earlier run; pass --force to "
                    + "replace it (images in folders of the same names are overwritten), or choose another --out");
        }
    }

    /**
     * Creates (with {@code replace}: truncates) {@code file}; its folder must exist.
     *
     * @throws IllegalArgumentException when it exists and {@code replace} is false
     */
    static ImageResultsFile open(Path file, boolean replace) {
        OpenOption[] options = replace
                ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE}
                : new OpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE};
        try {
            return new ImageResultsFile(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, options));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("--out: " + file + " was created by someone else during the run; not "
                    + "replacing it (pass --force to allow that)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** Appends {@code json} (one line, no newline in it) and a newline, and flushes. */
    void append(String json) {
        if (json.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a results line must be one line, but holds a newline: " + json);
        }
        try {
            writer.write(json + "\n");
            writer.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The lines written so far. */
    int lines() {
        return lines;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
