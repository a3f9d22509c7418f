package dev.tempera.image.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad requests are refused with the input, the allowed range and the value; diffusers' rules are kept. */
class ImageRequestTest {

    @Test
    void sizesMustBeMultiplesOfTheVaeFactor() {
        assertThatThrownBy(() -> ImageRequest.of("x").withSize(500, 512))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("width and height must be positive multiples of 8 (the VAE factor), but are: 500x512");
        assertThatThrownBy(() -> ImageRequest.of("x").withSize(0, 512)).hasMessageContaining("0x512");
    }

    @Test
    void stepsGuidanceSeedsAndEtaAreChecked() {
        assertThatThrownBy(() -> ImageRequest.of("x").withSteps(0)).hasMessage("steps must be >= 1, but is: 0");
        assertThatThrownBy(() -> ImageRequest.of("x").withGuidance(-1))
                .hasMessage("guidance scale must be >= 0 (1 or less turns guidance off), but is: -1.0");
        assertThatThrownBy(() -> ImageRequest.of("x").withGuidance(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> ImageRequest.of("x").withSeeds(List.of()))
                .hasMessageContaining("seeds must hold at least one seed");
        assertThatThrownBy(() -> new ImageRequest("x", "", 64, 64, 10, 7.5, 1.5, List.of(0L),
                java.util.Optional.empty(), 0)).hasMessage("guidance rescale must be in [0, 1], but is: 1.5");
    }

    @Test
    void guidanceRunsOnlyAboveOne() {
        // diffusers: do_classifier_free_guidance = guidance_scale > 1
        assertThat(ImageRequest.of("x").withGuidance(1.0).guided()).isFalse();
        assertThat(ImageRequest.of("x").withGuidance(1.0001).guided()).isTrue();
        assertThat(ImageRequest.of("x").withGuidance(0).guided()).isFalse();
    }

    @Test
    void pixelsAreClampedScaledAndRoundedInFloat32() {
        // x/2 + 0.5 clamped to [0, 1], x 255 in float32, then rounded (numpy: half to even)
        assertThat(VaeDecoder.toByte(-3f)).isZero();
        assertThat(VaeDecoder.toByte(3f)).isEqualTo(255);
        assertThat(VaeDecoder.toByte(0f)).isEqualTo(128);             // 0.5 * 255 = 127.5 -> 128 (even)
        assertThat(VaeDecoder.toByte(-0.98039216f)).isEqualTo(2);     // float32: v x 255 = 2.4999998, not 2.5
    }
}
