package dev.tempera.lab.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One golden-tensor case: {@code tools/sample-models/golden/<model>/<case>/case.json}, written by
 * the Python exporter next to the {@code .npy} tensors it names:
 *
 * <pre>{@code
 * {"model": "models/shapes-clip/onnx/text_model.onnx", "atol": 0.0001, "rtol": 0.001, "note": "",
 *  "inputs": {"input_ids": "input.input_ids.npy"},
 *  "outputs": {"text_embeds": "output.text_embeds.npy"}}
 * }</pre>
 *
 * <p>{@code model} is relative to the repository root, the {@code .npy} files to the case
 * directory; both are resolved here to absolute, normalised paths. Input and output names are ONNX
 * names and may contain dots ({@code past_key_values.0.key}). An output passes where every element
 * has {@code |actual - expected| <= atol + rtol * |expected|}.
 *
 * @param name {@code <model>/<case>}, the two directory names
 */
record GoldenCase(String name, Path dir, Path model, double atol, double rtol, String note,
                  Map<String, Path> inputs, Map<String, Path> outputs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    GoldenCase {
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException(name + ": atol and rtol must be >= 0, but are: " + atol + ", " + rtol);
        }
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException(name + ": 'inputs' and 'outputs' must each name at least one tensor, but "
                    + "there are " + inputs.size() + " inputs and " + outputs.size() + " outputs");
        }
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /**
     * @param caseDir {@code <golden>/<model>/<case>}, holding {@code case.json}
     * @throws IllegalArgumentException if case.json lacks a field or has one of the wrong type; the message names the file
     */
    static GoldenCase load(Path repoRoot, Path caseDir) throws IOException {
        Path file = caseDir.resolve("case.json");
        String name = caseDir.getParent().getFileName() + "/" + caseDir.getFileName();
        JsonNode root = JSON.readTree(file.toFile());
        return new GoldenCase(name, caseDir,
                repoRoot.resolve(text(file, root, "model")).toAbsolutePath().normalize(),
                number(file, root, "atol"), number(file, root, "rtol"),
                root.path("note").asText(""),
                files(file, root, "inputs", caseDir), files(file, root, "outputs", caseDir));
    }

    private static String text(Path file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a non-blank string, but is: " + n);
        }
        return n.asText();
    }

    private static double number(Path file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a number, but is: " + n);
        }
        return n.asDouble();
    }

    private static Map<String, Path> files(Path file, JsonNode root, String key, Path caseDir) {
        JsonNode n = root.get(key);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be an object {onnxName: file.npy}, but is: " + n);
        }
        Map<String, Path> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(file + ": '" + key + "." + e.getKey() + "' must be a file name, but is: "
                        + e.getValue());
            }
            out.put(e.getKey(), caseDir.resolve(e.getValue().asText()).toAbsolutePath().normalize());
        }
        return out;
    }
}
