package dev.tempera.text.onnx;

import dev.tempera.runtime.tokenizer.TextTokenizer;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.GenerationConfig;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.Generator;
import dev.tempera.text.StreamListener;
import dev.tempera.text.TestModels;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void runs() {
        try (OnnxCausalLm lm = OnnxCausalLm.open(TestModels.shapesLm());
             TextTokenizer tok = TextTokenizer.open(TestModels.shapesLm().resolve("tokenizer.json"))) {
            int[] ids = tok.encode(TestModels.chatPrompt("Describe a scene with red star, gray triangle."));
            GenerationConfig g = GenerationConfig.read(TestModels.shapesLm());
            GenerationResult r = Generator.generate(lm, l -> lm.prefill(ids, l), ids, tok, g.eosTokenIds(),
                    GenerationRequest.of(SamplingParams.builder().temperature(0).maxTokens(64).build()),
                    StreamListener.NONE);
            System.out.println(lm.layout());
            System.out.println(r);
            System.out.println(r.text() + " " + java.util.Arrays.toString(r.completions().get(0).tokens()));
            System.out.println(r.prefillTokensPerSecond() + " " + r.decodeTokensPerSecond());
        }
    }
}
