package dev.tempera.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One ONNX graph on ONNX Runtime (CPU, or CUDA through {@link SessionSettings}), with its contract checked at load time.
 *
 * <p>Names, element types and ranks are read from the session ({@link #inputs()}, {@link #outputs()}),
 * never assumed; {@link #requireInputs} and {@link #requireOutputs} fail with a message that names the
 * model file and what is missing; {@link OnnxContract} checks a whole contract at once. {@link OrtException}s are
 * wrapped once, here, with the file name.
 *
 * <p>Thread safety: ORT sessions may be run from several threads at once; this class adds no state.
 * Closing: the caller owns the model and must close it; every {@link OrtSession.Result} returned by
 * {@link #run} must be closed by the caller too.
 *
 * <pre>{@code
 * try (OnnxModel text = OnnxModel.open(dir.resolve("onnx/text_model.onnx"))) {
 *     text.requireInputs("input_ids");
 *     try (OrtSession.Result r = text.run(Map.of("input_ids", ids))) { ... }
 * }
 * }</pre>
 */
public final class OnnxModel implements AutoCloseable {

    private final Path file;
    private final OrtSession session;

    private OnnxModel(Path file, OrtSession session) {
        this.file = file;
        this.session = session;
    }

    /** Opens {@code file} with the shared environment and {@link SessionSettings#defaults()} (CPU, ORT's threads). */
    public static OnnxModel open(Path file) {
        return open(file, SessionSettings.defaults());
    }

    /**
     * Opens {@code file} on the CPU; {@code intraOpThreads} 0 lets ORT choose.
     *
     * @throws IllegalArgumentException when the file does not exist or {@code intraOpThreads} is negative
     * @throws IllegalStateException when ONNX Runtime cannot load it (a corrupt or unsupported model)
     */
    public static OnnxModel open(Path file, int intraOpThreads) {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = let ONNX Runtime choose), but is: " + intraOpThreads);
        }
        return open(file, SessionSettings.defaults().withIntraOpThreads(intraOpThreads));
    }

    /**
     * Opens {@code file} with {@code settings}. Before ONNX Runtime sees it, the external data files the graph names
     * ({@code model.onnx_data}...) are checked to be next to it, so a missing one is reported by name.
     *
     * @throws IllegalArgumentException when the file does not exist (the caller named it)
     * @throws IllegalStateException when an external data file is missing, the device is not available (CUDA without
     *         the onnxruntime_gpu artifact), or ONNX Runtime cannot load the graph
     */
    public static OnnxModel open(Path file, SessionSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ONNX model file does not exist: " + file.toAbsolutePath());
        }
        OnnxExternalData.requirePresent(file);
        try (OrtSession.SessionOptions options = settings.createOptions()) {
            OrtSession session = environment().createSession(file.toString(), options);
            return new OnnxModel(file, session);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + file + " (" + settings.device() + "): "
                    + e.getMessage(), e);
        }
    }

    /** The process-wide ORT environment (created once by ORT itself). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    public Path file() {
        return file;
    }

    public OrtSession session() {
        return session;
    }

    /** Input names to their metadata, in the graph's order. */
    public Map<String, NodeInfo> inputs() {
        try {
            return session.getInputInfo();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the inputs of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Output names to their metadata, in the graph's order. */
    public Map<String, NodeInfo> outputs() {
        try {
            return session.getOutputInfo();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the outputs of " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean hasInput(String name) {
        return session.getInputNames().contains(name);
    }

    public boolean hasOutput(String name) {
        return session.getOutputNames().contains(name);
    }

    /** Fails unless every name is an input of the graph; the message lists what the graph has. */
    public void requireInputs(String... names) {
        require("input", session.getInputNames(), names);
    }

    /** Fails unless every name is an output of the graph; the message lists what the graph has. */
    public void requireOutputs(String... names) {
        require("output", session.getOutputNames(), names);
    }

    /** The tensor metadata of an input (element type, shape with -1 for dynamic axes). */
    public TensorInfo inputTensor(String name) {
        return tensorInfo("input", inputs(), name);
    }

    /** The tensor metadata of an output. */
    public TensorInfo outputTensor(String name) {
        return tensorInfo("output", outputs(), name);
    }

    /** Runs the graph on all outputs; the caller closes the result (and still owns the inputs). */
    public OrtSession.Result run(Map<String, ? extends OnnxTensor> inputs) {
        try {
            return session.run(inputs);
        } catch (OrtException e) {
            throw new IllegalStateException("running " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs the graph computing only {@code outputs}. */
    public OrtSession.Result run(Map<String, ? extends OnnxTensor> inputs, Set<String> outputs) {
        try {
            return session.run(inputs, outputs);
        } catch (OrtException e) {
            throw new IllegalStateException("running " + file + " failed: " + e.getMessage(), e);
        }
    }

    private void require(String kind, Set<String> present, String... names) {
        for (String name : names) {
            if (!present.contains(name)) {
                throw new IllegalStateException(file + " has no " + kind + " '" + name + "'; its " + kind + "s are " + present);
            }
        }
    }

    private TensorInfo tensorInfo(String kind, Map<String, NodeInfo> infos, String name) {
        NodeInfo info = infos.get(name);
        if (info == null) {
            throw new IllegalStateException(file + " has no " + kind + " '" + name + "'; its " + kind + "s are " + infos.keySet());
        }
        if (!(info.getInfo() instanceof TensorInfo tensor)) {
            throw new IllegalStateException(file + ": " + kind + " '" + name + "' is not a tensor but " + info.getInfo());
        }
        return tensor;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "OnnxModel[" + file + "]";
    }
}
