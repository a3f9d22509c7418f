package dev.tempera.lab.cli.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code --out} file of a batch, all or nothing: lines go to a hidden temporary file in the same folder
 * ({@code .NAME.*.partial}), which {@link #commit()} renames to the target once every line is written. A run that
 * fails, or is interrupted, leaves the target as it was (absent, or the old file) and removes the temporary file
 * ({@link #close()} without commit; {@code deleteOnExit} for Ctrl-C).
 *
 * <p>An existing target is replaced only when asked ({@code --force}); that is checked when the file is created —
 * before the model loads — and again by the rename, so a file that appears in the meantime is not overwritten
 * either. Not thread-safe.
 *
 * <pre>{@code
 * try (BatchOutputFile out = BatchOutputFile.create(Path.of("out.jsonl"), false)) {
 *     out.writeLine("{\"text\": \"...\"}");
 *     out.commit();
 * }
 * }</pre>
 */
final class BatchOutputFile implements AutoCloseable {

    private final Path target;
    private final boolean replace;
    private final Path temp;
    private final BufferedWriter writer;
    private boolean committed;
    private boolean closed;

    private BatchOutputFile(Path target, boolean replace, Path temp, BufferedWriter writer) {
        this.target = target;
        this.replace = replace;
        this.temp = temp;
        this.writer = writer;
    }

    /**
     * Checks {@code target} and opens the temporary file beside it.
     *
     * @param replace whether an existing target may be replaced
     * @throws IllegalArgumentException when the target is a folder, its folder does not exist, or it exists and
     *     {@code replace} is false
     */
    static BatchOutputFile create(Path target, boolean replace) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("--out must be a file, but " + target + " is a folder");
        }
        Path folder = absolute.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--out: the folder of " + target + " must exist, but does not: "
                    + folder);
        }
        if (Files.exists(absolute) && !replace) {
            throw new IllegalArgumentException("--out " + target + " already exists; pass --force to replace it, or "
                    + "choose another file");
        }
        try {
            Path temp = Files.createTempFile(folder, "." + absolute.getFileName() + ".", ".partial");
            temp.toFile().deleteOnExit();
            return new BatchOutputFile(absolute, replace, temp, Files.newBufferedWriter(temp, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for --out in " + folder, e);
        }
    }

    /** The temporary file the lines go to until {@link #commit()}. */
    Path temp() {
        return temp;
    }

    /** Appends {@code line} and a newline ({@code \n}). */
    void writeLine(String line) {
        if (closed) {
            throw new IllegalStateException("the output file is already closed");
        }
        try {
            writer.write(line);
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the temporary output file " + temp, e);
        }
    }

    /**
     * Closes the temporary file and renames it to the target (atomically where the file system can).
     *
     * @throws IllegalStateException when the target appeared since {@link #create} and replacing was not allowed; the
     *     temporary file is then removed by {@link #close()}
     */
    void commit() {
        try {
            closed = true;
            writer.close();
            if (replace) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temp, target);
            }
            committed = true;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("--out " + target + " was created by someone else during the run; "
                    + "not replacing it (pass --force to allow that)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + temp + " to " + target, e);
        }
    }

    /** Without {@link #commit()}: closes and deletes the temporary file. After it: nothing. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            if (!closed) {
                closed = true;
                writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the temporary output file " + temp, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the temporary output file " + temp, e);
            }
        }
    }
}
