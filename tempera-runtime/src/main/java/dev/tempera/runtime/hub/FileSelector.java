package dev.tempera.runtime.hub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which files of a model repo a caller needs, for {@link ModelResolver}: {@link #select} picks the files to
 * download from the hub's file list, {@link #missing} says what a local folder still lacks (empty = complete, so
 * a cached snapshot can be used without asking the hub).
 *
 * <p>Paths are {@code /}-separated and relative to the repo root. Patterns ({@link #globs}) are optional by
 * nature: they never make a folder incomplete. Exact files ({@link #files}) are required.
 *
 * <pre>{@code
 * FileSelector s = FileSelector.globs("*.json", "*.txt").plus(FileSelector.files("onnx/model.onnx"));
 * }</pre>
 */
public interface FileSelector {

    /** The files to download, chosen from {@code available} (the repo's files), in a stable order. */
    List<String> select(Collection<String> available);

    /** The required paths that {@code present} lacks; empty when nothing required is missing. */
    List<String> missing(Collection<String> present);

    /**
     * Why {@code missingPath} (one of {@link #missing}'s answers) cannot be had from {@code available}, e.g.
     * {@code "no fp16 variant of decoder_model_merged; found: fp32, q4"}; empty when there is nothing to add.
     */
    default String explain(String missingPath, Collection<String> available) {
        return "";
    }

    /** Both selections: the union of their files, and of what they miss. */
    default FileSelector plus(FileSelector other) {
        FileSelector self = this;
        return new FileSelector() {
            @Override
            public List<String> select(Collection<String> available) {
                Set<String> all = new LinkedHashSet<>(self.select(available));
                all.addAll(other.select(available));
                return List.copyOf(all);
            }

            @Override
            public List<String> missing(Collection<String> present) {
                Set<String> all = new LinkedHashSet<>(self.missing(present));
                all.addAll(other.missing(present));
                return List.copyOf(all);
            }

            @Override
            public String explain(String missingPath, Collection<String> available) {
                String why = self.explain(missingPath, available);
                return why.isEmpty() ? other.explain(missingPath, available) : why;
            }

            @Override
            public String toString() {
                return self + " + " + other;
            }
        };
    }

    /** Exactly these files, all required. */
    static FileSelector files(String... paths) {
        List<String> wanted = Arrays.stream(paths).map(RepoPaths::check).distinct().collect(Collectors.toList());
        return new FileSelector() {
            @Override
            public List<String> select(Collection<String> available) {
                Set<String> have = Set.copyOf(available);
                return wanted.stream().filter(have::contains).collect(Collectors.toList());
            }

            @Override
            public List<String> missing(Collection<String> present) {
                Set<String> have = Set.copyOf(present);
                return wanted.stream().filter(p -> !have.contains(p)).collect(Collectors.toList());
            }

            @Override
            public String toString() {
                return "files" + wanted;
            }
        };
    }

    /**
     * Every file matching one of {@code patterns} ({@code *} stops at {@code /}, {@code **} does not, {@code ?}
     * is one character); none is required.
     */
    static FileSelector globs(String... patterns) {
        List<Glob> globs = Arrays.stream(patterns).map(Glob::new).collect(Collectors.toList());
        return new FileSelector() {
            @Override
            public List<String> select(Collection<String> available) {
                List<String> out = new ArrayList<>();
                for (String path : available) {
                    if (globs.stream().anyMatch(g -> g.matches(path))) {
                        out.add(path);
                    }
                }
                return out;
            }

            @Override
            public List<String> missing(Collection<String> present) {
                return List.of();
            }

            @Override
            public String toString() {
                return "globs" + globs;
            }
        };
    }

    /** Every file of the repo. */
    static FileSelector all() {
        return globs("**");
    }
}
