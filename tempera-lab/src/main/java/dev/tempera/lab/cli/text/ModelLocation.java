package dev.tempera.lab.cli.text;

import dev.tempera.runtime.hub.ModelResolver;
import dev.tempera.text.ModelFolders;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns {@code --model} into a local folder: an existing folder as it is, else a Hugging Face id. */
final class ModelLocation {

    private ModelLocation() {
    }

    static Path resolve(String model, dev.tempera.runtime.onnx.OnnxDtype dtype) {
        Path p = Path.of(model);
        if (Files.isDirectory(p)) {
            return p;
        }
        return ModelFolders.resolve(ModelResolver.fromSystem(), model, dtype);
    }
}
