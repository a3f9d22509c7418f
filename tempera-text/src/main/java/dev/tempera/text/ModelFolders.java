package dev.tempera.text;

import dev.tempera.runtime.hub.FileSelector;
import dev.tempera.runtime.hub.ModelResolver;
import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.runtime.onnx.OnnxFiles;
import dev.tempera.text.onnx.OnnxCausalLm;
import dev.tempera.text.vlm.Qwen2VlModel;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Resolves a Hugging Face id to a local model folder holding what {@link LocalEngine} needs, in two steps: the
 * configuration and tokenizer files first (small), then — once config.json says which engine runs the model — the
 * graphs of the requested dtype with their external data: {@link Qwen2VlModel#GRAPHS} for Qwen2-VL / Qwen2.5-VL,
 * otherwise the first of {@link OnnxCausalLm#GRAPHS} the repo has. A local folder is returned as it is.
 */
public final class ModelFolders {

    private ModelFolders() {
    }

    /** {@link #resolve(ModelResolver, String, OnnxDtype)} for fp32 graphs. */
    public static Path resolve(ModelResolver resolver, String dirOrId) {
        return resolve(resolver, dirOrId, OnnxDtype.FP32);
    }

    /**
     * A local folder for {@code dirOrId}.
     *
     * @throws IllegalArgumentException when {@code dirOrId} is neither a folder nor a valid id
     * @throws dev.tempera.runtime.hub.HfHubException when a file is missing and cannot be downloaded (the message
     *     names the repo and the file)
     */
    public static Path resolve(ModelResolver resolver, String dirOrId, OnnxDtype dtype) {
        FileSelector configs = FileSelector.globs(OnnxFiles.CONFIG_GLOBS.toArray(String[]::new));
        Path dir = resolver.resolve(dirOrId, configs.plus(FileSelector.files("config.json")));
        ModelConfig config = ModelConfig.read(dir);
        FileSelector graphs = VisionLanguageModels.modelTypes().contains(config.modelType())
                ? OnnxFiles.selector(dtype, Qwen2VlModel.GRAPHS.toArray(String[]::new))
                : firstOf(dtype, OnnxCausalLm.GRAPHS);
        return resolver.resolve(dirOrId, configs.plus(FileSelector.files("config.json", "tokenizer.json"))
                .plus(graphs));
    }

    /** The first of {@code bases} (in {@code dtype}) that a repo or folder has. */
    static FileSelector firstOf(OnnxDtype dtype, List<String> bases) {
        return new FileSelector() {
            @Override
            public List<String> select(Collection<String> available) {
                for (String base : bases) {
                    List<String> s = OnnxFiles.selector(dtype, base).select(available);
                    if (!s.isEmpty()) {
                        return s;
                    }
                }
                return List.of();
            }

            @Override
            public List<String> missing(Collection<String> present) {
                for (String base : bases) {
                    if (OnnxFiles.selector(dtype, base).missing(present).isEmpty()) {
                        return List.of();
                    }
                }
                return OnnxFiles.selector(dtype, bases.get(0)).missing(present);
            }

            @Override
            public String explain(String missingPath, Collection<String> available) {
                return OnnxFiles.selector(dtype, bases.get(0)).explain(missingPath, available);
            }

            @Override
            public String toString() {
                return "the first of " + bases + " in " + dtype.id();
            }
        };
    }
}
