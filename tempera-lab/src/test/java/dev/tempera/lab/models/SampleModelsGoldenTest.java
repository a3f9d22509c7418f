package dev.tempera.lab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.tempera.runtime.io.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every bundled sample model ({@code models/**}{@code /*.onnx}) on the golden inputs that the
 * Python exporter saved, and checks ONNX Runtime's outputs against the golden outputs: the Java
 * side's proof that an export is usable as shipped. One dynamic test per case, named
 * {@code <model>/<case>}; see {@link GoldenCase} for the layout of a case.
 *
 * <p>Run just these (after {@code ./mvnw -q -o -B -pl tempera-lab -am install -DskipTests}):
 * <pre>{@code
 * ./mvnw -q -o -B -pl tempera-lab test -Dtest=SampleModelsGoldenTest
 * ./mvnw -q -o -B -pl tempera-lab test -Dtest=SampleModelsGoldenTest -Dgolden.only=shapes-clip
 * }</pre>
 * {@code -Dgolden.only} keeps the cases whose name starts with it. Each case prints one line per
 * output with its max error, so a passing run also shows how much headroom the tolerances leave.
 *
 * <p>A failure is an export bug to fix in {@code tools/sample-models/}, not a tolerance to loosen.
 */
class SampleModelsGoldenTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** The repository root: the first directory up from the working directory with {@code tools/sample-models/}. */
    static Path repoRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("tools/sample-models")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("No directory holding tools/sample-models/ and pom.xml above " + start
                + "; run the tests from inside the Tempera checkout");
    }

    static List<GoldenCase> goldenCases(Path root) throws IOException {
        Path golden = root.resolve("tools/sample-models/golden");
        if (!Files.isDirectory(golden)) {
            fail("No golden cases: " + golden + " does not exist (tools/sample-models/export.py writes them)");
        }
        String only = System.getProperty("golden.only", "");
        List<GoldenCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(golden, 3)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("case.json")).sorted().toList()) {
                if (golden.relativize(f).getNameCount() != 3) {
                    fail(f + " is not at golden/<model>/<case>/case.json");
                }
                GoldenCase c = GoldenCase.load(root, f.getParent());
                if (c.name().startsWith(only)) {
                    cases.add(c);
                }
            }
        }
        if (cases.isEmpty()) {
            fail("No golden cases under " + golden + (only.isEmpty() ? "" : " whose name starts with '" + only + "'"));
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenCaseMatchesOnnxRuntime() throws IOException {
        return goldenCases(repoRoot()).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @Test
    void everyBundledOnnxGraphHasAGoldenCase() throws IOException {
        Path root = repoRoot();
        Path models = root.resolve("models");
        List<Path> graphs = new ArrayList<>();
        if (Files.isDirectory(models)) {
            try (Stream<Path> files = Files.walk(models)) {
                files.filter(p -> p.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(p))
                        .map(p -> p.toAbsolutePath().normalize()).sorted().forEach(graphs::add);
            }
        }
        if (graphs.isEmpty()) {
            fail("The sample models are missing: no *.onnx under " + models
                    + " (they are committed to the repository; restore models/ from git)");
        }
        Set<Path> referenced = new TreeSet<>();
        Path golden = root.resolve("tools/sample-models/golden");
        if (Files.isDirectory(golden)) {
            try (Stream<Path> files = Files.walk(golden, 3)) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals("case.json")).toList()) {
                    referenced.add(GoldenCase.load(root, f.getParent()).model());
                }
            }
        }
        List<String> lacking = graphs.stream().filter(g -> !referenced.contains(g))
                .map(g -> root.relativize(g).toString()).toList();
        assertThat(lacking)
                .as("ONNX graphs under models/ that no tools/sample-models/golden/*/*/case.json names as its \"model\"")
                .isEmpty();
    }

    private static void check(GoldenCase c) throws OrtException, IOException {
        if (!Files.isRegularFile(c.model())) {
            fail(c.name() + ": its model " + c.model() + " does not exist");
        }
        List<String> report = new ArrayList<>();
        // From the path, not the bytes: a graph with external data finds it next to the file.
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = ENV.createSession(c.model().toString(), options)) {
            Map<String, NodeInfo> inputInfo = session.getInputInfo();
            Set<String> missing = new TreeSet<>(inputInfo.keySet());
            missing.removeAll(c.inputs().keySet());
            Set<String> extra = new TreeSet<>(c.inputs().keySet());
            extra.removeAll(inputInfo.keySet());
            if (!missing.isEmpty() || !extra.isEmpty()) {
                fail(c.name() + ": the graph " + c.model().getFileName() + " takes inputs " + new TreeSet<>(inputInfo.keySet())
                        + " but the case gives " + new TreeSet<>(c.inputs().keySet()) + "; missing from the case: "
                        + missing + ", not in the graph: " + extra);
            }
            Set<String> unknownOutputs = new TreeSet<>(c.outputs().keySet());
            unknownOutputs.removeAll(session.getOutputNames());
            if (!unknownOutputs.isEmpty()) {
                fail(c.name() + ": the case lists outputs " + unknownOutputs + " that the graph does not have; it has "
                        + new TreeSet<>(session.getOutputNames()));
            }

            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, Path> in : c.inputs().entrySet()) {
                    NpyArray npy = NpyArray.read(in.getValue());
                    OnnxJavaType wanted = ((TensorInfo) inputInfo.get(in.getKey()).getInfo()).type;
                    if (npy.dtype().onnxType() != wanted) {
                        fail(c.name() + ": input '" + in.getKey() + "' is " + wanted + " in the graph but "
                                + npy.dtype().descr() + " in " + in.getValue().getFileName());
                    }
                    feeds.put(in.getKey(), npy.toTensor(ENV));
                }
                try (OrtSession.Result result = session.run(feeds, c.outputs().keySet())) {
                    List<String> failures = new ArrayList<>();
                    for (Map.Entry<String, Path> out : c.outputs().entrySet()) {
                        String line = compare(c, out.getKey(), NpyArray.read(out.getValue()),
                                result.get(out.getKey()).orElseThrow());
                        report.add(line);
                        if (line.startsWith("FAIL")) {
                            failures.add(line);
                        }
                    }
                    System.out.println("golden " + c.name() + ":\n  " + String.join("\n  ", report));
                    if (!failures.isEmpty()) {
                        fail(c.name() + " (" + c.model().getFileName() + ") does not match its golden outputs:\n  "
                                + String.join("\n  ", failures));
                    }
                }
            } finally {
                for (OnnxTensor t : feeds.values()) {
                    t.close();
                }
            }
        }
    }

    /** One report line, starting with "FAIL" when the shape, the dtype or a value is off. */
    private static String compare(GoldenCase c, String name, NpyArray expected, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            return "FAIL " + name + ": is a " + value.getType() + ", not a tensor";
        }
        TensorInfo info = tensor.getInfo();
        if (!Arrays.equals(info.getShape(), expected.shape())) {
            return "FAIL " + name + ": shape " + NpyArray.shapeText(info.getShape()) + ", but the golden "
                    + c.outputs().get(name).getFileName() + " has " + NpyArray.shapeText(expected.shape());
        }
        if (info.type != expected.dtype().onnxType()) {
            return "FAIL " + name + ": dtype " + info.type + ", but the golden " + c.outputs().get(name).getFileName()
                    + " is " + expected.dtype().descr();
        }
        Closeness closeness = Closeness.of(expected.shape(), expected.toDoubles(), values(tensor), c.atol(), c.rtol());
        return (closeness.passed() ? "ok   " : "FAIL ") + closeness.describe(name);
    }

    /** The tensor's elements in C order as doubles; float16 is widened by ORT, uint8 is 0..255, bool is 0 or 1. */
    private static double[] values(OnnxTensor t) {
        OnnxJavaType type = t.getInfo().type;
        switch (type) {
            case FLOAT, FLOAT16 -> {
                FloatBuffer b = t.getFloatBuffer();
                double[] out = new double[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
                return out;
            }
            case DOUBLE -> {
                DoubleBuffer b = t.getDoubleBuffer();
                double[] out = new double[b.remaining()];
                b.get(out);
                return out;
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                return Arrays.stream(toArray(b)).asDoubleStream().toArray();
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                double[] out = new double[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
                return out;
            }
            case UINT8, BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                double[] out = new double[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = type == OnnxJavaType.BOOL ? (b.get(i) != 0 ? 1 : 0) : b.get(i) & 0xff;
                }
                return out;
            }
            default -> throw new IllegalArgumentException("output type " + type + " is not compared; known: "
                    + Arrays.stream(NpyArray.Dtype.values()).map(d -> d.onnxType().toString()).collect(Collectors.joining(", ")));
        }
    }

    private static long[] toArray(LongBuffer b) {
        long[] out = new long[b.remaining()];
        b.get(out);
        return out;
    }
}
