package dev.tempera.text;

import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.runtime.tokenizer.TextTokenizer;
import dev.tempera.text.onnx.OnnxCausalLm;
import dev.tempera.text.vlm.Qwen2VlModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A local model folder ready to generate: its tokenizer, generation_config.json, the model on ONNX Runtime and, for
 * vision-language models, the image processor. Which engine runs it is decided by config.json's {@code model_type}
 * and the files present: {@code qwen2_vl} / {@code qwen2_5_vl} with {@code onnx/vision_encoder.onnx} →
 * {@link Qwen2VlModel}; any other folder with a decoder graph → {@link OnnxCausalLm}. Vision-language families are
 * chosen by {@link VisionLanguageModels}; SmolVLM or Florence-2 would be a {@link VisionLanguageModel} beside
 * {@link Qwen2VlModel}, registered there.
 *
 * <p>The pipeline of one request: chat template → {@link #prepare} (placeholders expanded to each image's token
 * count, tokenised, images preprocessed) → {@link #generate} (prefill once, decode {@code n} sequences).
 *
 * <pre>{@code
 * try (LocalEngine engine = LocalEngine.open(Path.of("models/shapes-vl"), LocalEngine.Options.defaults())) {
 *     Prompt p = engine.prepare(renderedChat, List.of(image));
 *     GenerationResult r = engine.generate(p, GenerationRequest.of(params), StreamListener.NONE);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one request at a time per engine. The engine owns the model and tokenizer.
 */
public final class LocalEngine implements AutoCloseable {

    /** The placeholder the Qwen2-VL chat template writes once per image. */
    public static final String IMAGE_PAD = Qwen2VlModel.IMAGE_PAD;

    /**
     * How the engine is opened.
     *
     * @param session ONNX Runtime settings for every session (threads, optimisation, device)
     * @param dtype which variant of the graphs to load (fp32 = no file suffix; fp16, q4f16, … per transformers.js)
     * @param maxImagesPerPrompt the most images one prompt may hold (vLLM's {@code limit_mm_per_prompt}; ≥ 0)
     */
    public record Options(SessionSettings session, OnnxDtype dtype, int maxImagesPerPrompt) {
        public Options {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(dtype, "dtype");
            if (maxImagesPerPrompt < 0) {
                throw new IllegalArgumentException("maxImagesPerPrompt must be >= 0, but is: " + maxImagesPerPrompt);
            }
        }

        /** ONNX Runtime's defaults, fp32 graphs, at most 10 images per prompt (the seed's limit_mm_per_prompt). */
        public static Options defaults() {
            return new Options(SessionSettings.defaults(), OnnxDtype.FP32, 10);
        }

        public Options withSession(SessionSettings s) {
            return new Options(s, dtype, maxImagesPerPrompt);
        }

        public Options withDtype(OnnxDtype d) {
            return new Options(session, d, maxImagesPerPrompt);
        }

        public Options withMaxImagesPerPrompt(int n) {
            return new Options(session, dtype, n);
        }
    }

    private final Path dir;
    private final Options options;
    private final TextTokenizer tokenizer;
    private final GenerationConfig generation;
    private final LanguageModel model;

    private LocalEngine(Path dir, Options options, TextTokenizer tokenizer, GenerationConfig generation,
                        LanguageModel model) {
        this.dir = dir;
        this.options = options;
        this.tokenizer = tokenizer;
        this.generation = generation;
        this.model = model;
    }

    /**
     * Opens the model folder {@code dir}.
     *
     * @throws IllegalArgumentException when the folder or a required file is missing
     * @throws IllegalStateException when a file is corrupt or a graph's contract does not match
     */
    public static LocalEngine open(Path dir, Options options) {
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder does not exist: " + dir);
        }
        Path tokenizerFile = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new IllegalArgumentException("model folder " + dir + " has no tokenizer.json");
        }
        ModelConfig config = ModelConfig.read(dir);
        GenerationConfig generation = GenerationConfig.read(dir);
        TextTokenizer tokenizer = TextTokenizer.open(tokenizerFile);
        LanguageModel model = null;
        try {
            model = VisionLanguageModels.open(dir, config, options.session(), options.dtype())
                    .map(LanguageModel.class::cast)
                    .orElseGet(() -> OnnxCausalLm.open(dir, options.session(), options.dtype()));
            if (model.vocabSize() < tokenizer.vocabSize()) {
                throw new IllegalStateException("the model's logits have " + model.vocabSize() + " entries but the "
                        + "tokenizer knows " + tokenizer.vocabSize() + " tokens: tokenizer.json and the graph disagree");
            }
            return new LocalEngine(dir, options, tokenizer, generation, model);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    /** Whether the model takes images. */
    public boolean acceptsImages() {
        return model instanceof VisionLanguageModel;
    }

    public GenerationConfig generationConfig() {
        return generation;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public LanguageModel model() {
        return model;
    }

    /**
     * Tokenises a prompt that already went through the chat template (or a raw prompt), with its images in the order
     * their placeholders appear: each {@value #IMAGE_PAD} is repeated to the image's token count.
     *
     * @throws IllegalArgumentException when images are given to a text-only model, there are more than
     *     {@link Options#maxImagesPerPrompt()}, the placeholders and images disagree in number, or the prompt does not
     *     fit the context
     */
    public Prompt prepare(String text, List<RgbPixels> pictures) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(pictures, "pictures");
        if (!pictures.isEmpty() && !acceptsImages()) {
            throw new IllegalArgumentException("model " + dir.getFileName() + " is a text-only model and takes no "
                    + "images, but " + pictures.size() + " were given");
        }
        if (pictures.size() > options.maxImagesPerPrompt()) {
            throw new IllegalArgumentException("a prompt may hold at most " + options.maxImagesPerPrompt()
                    + " images (limit_mm_per_prompt), but holds: " + pictures.size());
        }
        Prompt prompt = model instanceof VisionLanguageModel vlm ? vlm.prepare(text, pictures, tokenizer)
                : new Prompt(text, tokenizer.encode(text), Optional.empty());
        int n = prompt.ids().length;
        if (n == 0) {
            throw new IllegalArgumentException("the prompt is empty: it encodes to 0 tokens");
        }
        if (n >= model.contextLength()) {
            throw new IllegalArgumentException("the prompt holds " + n + " tokens; the model's context is "
                    + model.contextLength() + " tokens, so it must hold at most " + (model.contextLength() - 1));
        }
        return prompt;
    }

    /** Runs the prompt once and decodes {@code request.params().n()} sequences, stopping also at the model's EOS ids. */
    public GenerationResult generate(Prompt prompt, GenerationRequest request, StreamListener listener) {
        return generateEach(prompt, List.of(request), listener).get(0);
    }

    /** Runs the prompt once (vision encoder included) and answers every request from it. */
    public List<GenerationResult> generateEach(Prompt prompt, List<GenerationRequest> requests,
                                               StreamListener listener) {
        int[] ids = prompt.ids();
        Generator.Prefill prefill;
        if (model instanceof VisionLanguageModel vlm) {
            prefill = logits -> vlm.prefill(prompt, logits);
        } else {
            if (prompt.vision().isPresent()) {
                throw new IllegalArgumentException("a text-only model cannot take a prompt with images");
            }
            OnnxCausalLm lm = (OnnxCausalLm) model;
            prefill = logits -> lm.prefill(ids, logits);
        }
        return Generator.generateEach(model, prefill, ids, tokenizer, generation.eosTokenIds(), requests, listener);
    }



    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
