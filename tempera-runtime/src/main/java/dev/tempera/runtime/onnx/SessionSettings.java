package dev.tempera.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How ONNX Runtime runs a session: threads, graph optimisation, execution mode and device.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>Thread counts of 0 let ONNX Runtime choose (intra-op: one per physical core). Several sessions in one
 *       process each get their own pool, so two models at the default use twice the cores; set
 *       {@code intraOpThreads} when running several.</li>
 *   <li>{@code interOpThreads} only matters in {@link ExecutionMode#PARALLEL}, which runs independent branches of a
 *       graph at once; decoders gain nothing from it.</li>
 *   <li>{@link OnnxDevice#cuda} needs the {@code onnxruntime_gpu} artifact; {@link #createOptions()} fails clearly
 *       without it.</li>
 * </ul>
 *
 * <pre>{@code
 * SessionSettings s = SessionSettings.defaults().withIntraOpThreads(4).withDevice(OnnxDevice.parse("cuda:1"));
 * try (OnnxModel m = OnnxModel.open(file, s)) { ... }
 * }</pre>
 *
 * @param intraOpThreads threads inside one operator, 0 = ONNX Runtime's choice
 * @param interOpThreads threads across operators in parallel mode, 0 = ONNX Runtime's choice
 * @param optimization graph rewrites before running
 * @param executionMode sequential (default) or parallel operator scheduling
 * @param device CPU or a CUDA device
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, GraphOptimization optimization,
        ExecutionMode executionMode, OnnxDevice device) {

    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = let ONNX Runtime choose), but is: "
                    + intraOpThreads);
        }
        if (interOpThreads < 0) {
            throw new IllegalArgumentException("interOpThreads must be >= 0 (0 = let ONNX Runtime choose), but is: "
                    + interOpThreads);
        }
        Objects.requireNonNull(optimization, "optimization");
        Objects.requireNonNull(executionMode, "executionMode");
        Objects.requireNonNull(device, "device");
    }

    /** ORT's own choices: threads 0/0, all optimisations, sequential, CPU. */
    public static SessionSettings defaults() {
        return new SessionSettings(0, 0, GraphOptimization.ALL, ExecutionMode.SEQUENTIAL, OnnxDevice.CPU);
    }

    public SessionSettings withIntraOpThreads(int n) {
        return new SessionSettings(n, interOpThreads, optimization, executionMode, device);
    }

    public SessionSettings withInterOpThreads(int n) {
        return new SessionSettings(intraOpThreads, n, optimization, executionMode, device);
    }

    public SessionSettings withOptimization(GraphOptimization o) {
        return new SessionSettings(intraOpThreads, interOpThreads, o, executionMode, device);
    }

    public SessionSettings withExecutionMode(ExecutionMode m) {
        return new SessionSettings(intraOpThreads, interOpThreads, optimization, m, device);
    }

    public SessionSettings withDevice(OnnxDevice d) {
        return new SessionSettings(intraOpThreads, interOpThreads, optimization, executionMode, d);
    }

    /** {@code sequential} or {@code parallel}, any case. */
    public static ExecutionMode parseExecutionMode(String text) {
        for (ExecutionMode m : ExecutionMode.values()) {
            if (m.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown execution mode '" + text + "'; known: "
                + Arrays.stream(ExecutionMode.values()).map(m -> m.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(Collectors.joining(", ", "[", "]")));
    }

    /**
     * New ORT session options carrying these settings; the caller closes them (after creating the session).
     *
     * @throws IllegalStateException when the device's provider is not in this ONNX Runtime, or ORT refuses a setting
     */
    public OrtSession.SessionOptions createOptions() {
        device.requireAvailable(OrtEnvironment.getAvailableProviders());
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            if (interOpThreads > 0) {
                options.setInterOpNumThreads(interOpThreads);
            }
            options.setOptimizationLevel(optimization.ortLevel());
            options.setExecutionMode(executionMode);
            if (device.cuda()) {
                options.addCUDA(device.index());
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw new IllegalStateException("ONNX Runtime refused the session settings " + this + ": " + e.getMessage(), e);
        }
    }
}
