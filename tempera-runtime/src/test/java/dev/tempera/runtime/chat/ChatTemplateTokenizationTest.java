package dev.tempera.runtime.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempera.runtime.SampleModels;
import dev.tempera.runtime.tokenizer.HfTokenizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rendered Qwen2-VL prompt, tokenised by shapes-vl's tokenizer.json through DJL, keeps every special token whole:
 * each image becomes {@code <|vision_start|> <|image_pad|> <|vision_end|>} = ids 662, 665, 663 (the ids of
 * shapes-vl's added_tokens_decoder), which is what the vision merger later expands.
 */
class ChatTemplateTokenizationTest {

    private static final long IM_START = 654;
    private static final long IM_END = 655;
    private static final long VISION_START = 662;
    private static final long VISION_END = 663;
    private static final long IMAGE_PAD = 665;

    @Test
    void eachImageIsOneImagePadTokenBetweenVisionStartAndEnd() {
        ChatTemplate qwen = ChatTemplate.load(SampleModels.dir("shapes-vl"));
        String prompt = qwen.render(List.of(ChatMessage.user(ContentPart.image("a.png"), ContentPart.image("b.png"),
                ContentPart.text("描述这张图片中的场景和细节"))), true);

        try (HfTokenizer tokenizer = HfTokenizer.open(SampleModels.dir("shapes-vl").resolve("tokenizer.json"), 1024)) {
            long[] ids = tokenizer.encode(List.of(prompt)).inputIds();
            List<String> tokens = tokenizer.tokens(prompt);

            assertThat(Arrays.stream(ids).filter(id -> id == IMAGE_PAD).count()).isEqualTo(2);
            assertThat(tokens.stream().filter("<|image_pad|>"::equals).count()).isEqualTo(2);
            int first = indexOf(ids, IMAGE_PAD, 0);
            int second = indexOf(ids, IMAGE_PAD, first + 1);
            assertThat(new long[] {ids[first - 1], ids[first], ids[first + 1]})
                    .containsExactly(VISION_START, IMAGE_PAD, VISION_END);
            assertThat(new long[] {ids[second - 1], ids[second], ids[second + 1]})
                    .containsExactly(VISION_START, IMAGE_PAD, VISION_END);
            // system, user and the generation prompt each open with <|im_start|>; two turns are closed
            assertThat(Arrays.stream(ids).filter(id -> id == IM_START).count()).isEqualTo(3);
            assertThat(Arrays.stream(ids).filter(id -> id == IM_END).count()).isEqualTo(2);
            assertThat(ids[0]).isEqualTo(IM_START);
        }
    }

    private static int indexOf(long[] ids, long id, int from) {
        for (int i = from; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new AssertionError("id " + id + " not found after " + from);
    }
}
