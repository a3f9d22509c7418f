package dev.tempera.runtime.onnx;

import dev.tempera.runtime.hub.FileSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The files of one ONNX graph in a model folder: the {@code .onnx} file of the requested {@link OnnxDtype} and the
 * external-data files next to it.
 *
 * <p>Where a graph is looked for, in order: {@code onnx/{base}{suffix}.onnx} (transformers.js, onnx-community),
 * then {@code {base}{suffix}.onnx} at the folder root (Optimum). External data files are
 * {@code {file}_data}, {@code {file}_data_1}, {@code {file}_data_2}... (transformers.js, Optimum) or
 * {@code {file}.data} (torch.onnx, onnxruntime-genai), and must lie next to the {@code .onnx} file: ONNX Runtime
 * resolves their names relative to it.
 *
 * <pre>{@code
 * OnnxFiles decoder = OnnxFiles.find(dir, "decoder_model_merged", OnnxDtype.Q4F16);
 * try (OnnxModel m = OnnxModel.open(decoder.model(), SessionSettings.defaults())) { ... }
 * }</pre>
 *
 * @param model the {@code .onnx} file
 * @param externalData the external data files found next to it, in chunk order (often none)
 */
public record OnnxFiles(Path model, List<Path> externalData) {

    /** Subfolder transformers.js loads graphs from. */
    public static final String SUBFOLDER = "onnx";

    /** Root-level files a model needs besides its graphs: configs, tokenizers, chat templates. */
    public static final List<String> CONFIG_GLOBS = List.of("*.json", "*.txt", "*.jinja", "*.model", "*.tiktoken");

    private static final Pattern BASE = Pattern.compile("[A-Za-z0-9_.-]+");

    public OnnxFiles {
        Objects.requireNonNull(model, "model");
        externalData = List.copyOf(externalData);
    }

    /**
     * The {@code dtype} variant of graph {@code base} in {@code dir}.
     *
     * @throws IllegalArgumentException when {@code dir} is not a folder, or it has no such variant (the message lists
     *         the variants it has, e.g. {@code no fp16 variant of decoder_model_merged in /m/onnx; found: fp32, q4})
     */
    public static OnnxFiles find(Path dir, String base, OnnxDtype dtype) {
        checkBase(base);
        Objects.requireNonNull(dtype, "dtype");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder must be an existing directory, but is: " + dir.toAbsolutePath());
        }
        for (Path folder : List.of(dir.resolve(SUBFOLDER), dir)) {
            Path file = folder.resolve(dtype.fileName(base));
            if (Files.isRegularFile(file)) {
                return new OnnxFiles(file, externalDataOf(file));
            }
        }
        Path where = Files.isDirectory(dir.resolve(SUBFOLDER)) ? dir.resolve(SUBFOLDER) : dir;
        throw new IllegalArgumentException("no " + dtype.id() + " variant of " + base + " in " + where + "; found: "
                + describe(variants(dir, base)) + " (looked for " + SUBFOLDER + "/" + dtype.fileName(base) + " and "
                + dtype.fileName(base) + ")");
    }

    /** The dtypes graph {@code base} has in {@code dir}, under {@code onnx/} or at the root. */
    public static Set<OnnxDtype> variants(Path dir, String base) {
        checkBase(base);
        List<String> names = new ArrayList<>();
        for (Path folder : List.of(dir.resolve(SUBFOLDER), dir)) {
            if (Files.isDirectory(folder)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, base + "*.onnx")) {
                    ds.forEach(p -> names.add(p.getFileName().toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + folder, e);
                }
            }
        }
        return variantsIn(base, names);
    }

    /** The dtypes graph {@code base} has among {@code fileNames} (bare names or repo paths). */
    static Set<OnnxDtype> variantsIn(String base, Iterable<String> fileNames) {
        Set<OnnxDtype> found = EnumSet.noneOf(OnnxDtype.class);
        for (String path : fileNames) {
            OnnxDtype.ofFile(base, path.substring(path.lastIndexOf('/') + 1)).ifPresent(found::add);
        }
        return found;
    }

    /** The external data files next to {@code model}: {@code _data}, {@code _data_1}... or {@code .data}. */
    public static List<Path> externalDataOf(Path model) {
        Path folder = model.toAbsolutePath().getParent();
        String name = model.getFileName().toString();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, name + "*")) {
            for (Path p : ds) {
                if (chunkIndex(name, p.getFileName().toString()) >= 0 && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        out.sort(Comparator.comparingInt(p -> chunkIndex(name, p.getFileName().toString())));
        return out;
    }

    /**
     * 0 for {@code {model}_data} or {@code {model}.data}, {@code n} for {@code {model}_data_n}, -1 when
     * {@code fileName} is not an external data file of {@code modelName}.
     */
    static int chunkIndex(String modelName, String fileName) {
        if (!fileName.startsWith(modelName)) {
            return -1;
        }
        String rest = fileName.substring(modelName.length());
        if (rest.equals("_data") || rest.equals(".data")) {
            return 0;
        }
        Matcher m = CHUNK.matcher(rest);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static final Pattern CHUNK = Pattern.compile("_data_([1-9][0-9]{0,5})");

    /**
     * For {@link dev.tempera.runtime.hub.ModelResolver}: the {@code dtype} variant of each graph in {@code bases}
     * (under {@code onnx/} when the repo has it there, else at the root) with its external data, plus the root-level
     * {@link #CONFIG_GLOBS}. The graphs are required; a repo without one fails with the variants it has.
     */
    public static FileSelector selector(OnnxDtype dtype, String... bases) {
        Objects.requireNonNull(dtype, "dtype");
        if (bases.length == 0) {
            throw new IllegalArgumentException("bases must name at least one graph (e.g. 'model'), but is empty");
        }
        Arrays.stream(bases).forEach(OnnxFiles::checkBase);
        return FileSelector.globs(CONFIG_GLOBS.toArray(String[]::new)).plus(new OnnxGraphSelector(dtype, List.of(bases)));
    }

    static String describe(Set<OnnxDtype> dtypes) {
        return dtypes.isEmpty() ? "none" : dtypes.stream().map(OnnxDtype::id).collect(Collectors.joining(", "));
    }

    static void checkBase(String base) {
        if (base == null || !BASE.matcher(base).matches() || base.endsWith(".onnx")) {
            throw new IllegalArgumentException("graph name must be a file name without folder, dtype suffix or .onnx "
                    + "(e.g. 'decoder_model_merged'), but is: '" + base + "'");
        }
    }
}
