package dev.tempera.text.onnx;

import dev.tempera.runtime.tokenizer.TextTokenizer;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.GenerationConfig;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.Generator;
import dev.tempera.text.StreamListener;
import dev.tempera.text.TestModels;
import dev.tempera.text.vlm.Qwen2VlModel;
import org.junit.jupiter.api.Test;

class SmokeVlTest {
    @Test
    void runs() {
        try (Qwen2VlModel lm = Qwen2VlModel.open(TestModels.shapesVl());
             TextTokenizer tok = TextTokenizer.open(TestModels.shapesVl().resolve("tokenizer.json"))) {
            int[] ids = tok.encode(TestModels.chatPrompt("Describe a scene with red star, gray triangle."));
            GenerationConfig g = GenerationConfig.read(TestModels.shapesVl());
            GenerationResult r = Generator.generate(lm, l -> lm.prefill(ids, new float[0], new long[0][], l), ids, tok, g.eosTokenIds(),
                    GenerationRequest.of(SamplingParams.builder().temperature(0).maxTokens(64).build()),
                    StreamListener.NONE);
            System.out.println(r.text() + " " + java.util.Arrays.toString(r.completions().get(0).tokens()));
            System.out.println(r.prefillTokensPerSecond() + " " + r.decodeTokensPerSecond());
        }
    }
}
