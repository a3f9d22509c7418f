package dev.tempera.runtime.onnx;

import ai.onnxruntime.OrtProvider;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a session runs: the CPU, or CUDA device {@code index}.
 *
 * <p>What callers trip on: the {@code com.microsoft.onnxruntime:onnxruntime} artifact has only the CPU provider;
 * CUDA needs {@code com.microsoft.onnxruntime:onnxruntime_gpu} instead, plus a machine with the matching CUDA and
 * cuDNN libraries. {@link SessionSettings#createOptions()} checks this and says so.
 *
 * @param cuda whether this is a CUDA device
 * @param index the CUDA device number (0 for the CPU)
 */
public record OnnxDevice(boolean cuda, int index) {

    /** The CPU. */
    public static final OnnxDevice CPU = new OnnxDevice(false, 0);

    private static final Pattern TEXT = Pattern.compile("(cpu|cuda)(?::(\\d{1,4}))?", Pattern.CASE_INSENSITIVE);

    public OnnxDevice {
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0, but is: " + index);
        }
        if (!cuda && index != 0) {
            throw new IllegalArgumentException("the CPU has no device index: use 'cpu', but index is: " + index);
        }
    }

    /** CUDA device {@code index}. */
    public static OnnxDevice cuda(int index) {
        return new OnnxDevice(true, index);
    }

    /**
     * {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}, any case.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static OnnxDevice parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches() || (m.group(1).equalsIgnoreCase("cpu") && m.group(2) != null)) {
            throw new IllegalArgumentException("device must be 'cpu', 'cuda' or 'cuda:<index>' (e.g. cuda:1), but is: '"
                    + text + "'");
        }
        return m.group(1).equalsIgnoreCase("cpu") ? CPU : cuda(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /**
     * Fails unless this device's provider is among {@code available} (what {@code OrtEnvironment.getAvailableProviders()}
     * reports).
     */
    void requireAvailable(Set<OrtProvider> available) {
        if (cuda && !available.contains(OrtProvider.CUDA)) {
            throw new IllegalStateException("device " + this + " needs ONNX Runtime's CUDA provider, but this ONNX Runtime "
                    + "has only " + available + ": depend on com.microsoft.onnxruntime:onnxruntime_gpu (same version) "
                    + "instead of onnxruntime, and run on a machine with CUDA and cuDNN; or use device 'cpu'");
        }
    }

    @Override
    public String toString() {
        return cuda ? "cuda:" + index : "cpu";
    }
}
