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
    void etaAndClipSkipAreChecked() {
        assertThatThrownBy(() -> ImageRequest.of("x").withEta(-0.5))
                .hasMessage("eta must be finite and >= 0 (0 = deterministic DDIM), but is: -0.5");
        assertThatThrownBy(() -> ImageRequest.of("x").withEta(Double.POSITIVE_INFINITY))
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> ImageRequest.of("x").withClipSkip(-1))
                .hasMessage("clip skip must be >= 0 (0 = off), but is: -1");
        // off by default, as in diffusers (clip_skip None, eta 0)
        assertThat(ImageRequest.of("x").clipSkip()).isZero();
        assertThat(ImageRequest.of("x").eta()).isZero();
        assertThat(ImageRequest.of("x").latents()).isEmpty();
    }

    @Test
    void latentsMustHaveOneLatentPerSeedAtTheLatentSize() {
        // 32x32 pixels are 4x4 latents; two seeds need [2, 4, 4, 4]
        ImageRequest r = ImageRequest.of("x").withSize(32, 32).withSeeds(List.of(0L, 1L));
        InitialLatents one = InitialLatents.of(new long[] {4, 4, 4}, new float[64]);
        assertThatThrownBy(() -> r.withLatents(one)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latents must have shape [2, 4, 4, 4] (one per seed, 4 channels, height/8, width/8 for "
                        + "32x32), but have shape [1, 4, 4, 4]; set the size and seeds before the latents");
        InitialLatents two = InitialLatents.of(new long[] {2, 4, 4, 4}, new float[128]);
        assertThat(r.withLatents(two).latents()).contains(two);
        // the size or seeds cannot change under the latents
        assertThatThrownBy(() -> r.withLatents(two).withSize(64, 64)).hasMessageContaining("[2, 4, 8, 8]");
        assertThatThrownBy(() -> r.withLatents(two).withSeeds(List.of(0L))).hasMessageContaining("[1, 4, 4, 4]");
        InitialLatents wrongChannels = InitialLatents.of(new long[] {2, 3, 4, 4}, new float[96]);
        assertThatThrownBy(() -> r.withLatents(wrongChannels)).hasMessageContaining("but have shape [2, 3, 4, 4]");
    }

    @Test
    void initialLatentsAreCopiedInAndOut() {
        float[] v = new float[64];
        v[5] = 1.5f;
        InitialLatents l = InitialLatents.of(new long[] {4, 4, 4}, v);
        v[5] = 9f;                                  // the caller's array is not kept
        assertThat(l.values()[5]).isEqualTo(1.5f);
        l.values()[5] = 7f;                         // nor is the returned one
        assertThat(l.values()[5]).isEqualTo(1.5f);
        assertThat(l).isEqualTo(InitialLatents.stack(4, 4, 4, List.of(l.values())));
        assertThat(l.shape()).isEqualTo("[1, 4, 4, 4]");
    }

    @Test
    void initialLatentsRejectBadShapesAndValues() {
        assertThatThrownBy(() -> InitialLatents.of(new long[] {4, 4}, new float[16]))
                .hasMessage("latents shape must be [images, channels, height, width] or [channels, height, width], "
                        + "but is: [4, 4]");
        assertThatThrownBy(() -> InitialLatents.of(new long[] {1, 4, 4, 4}, new float[63]))
                .hasMessage("latents of shape [1, 4, 4, 4] need 64 values, but have: 63");
        assertThatThrownBy(() -> InitialLatents.of(new long[] {0, 4, 4, 4}, new float[0]))
                .hasMessageContaining("but the shape is: [0, 4, 4, 4]");
        float[] nan = new float[64];
        nan[10] = Float.NaN;
        assertThatThrownBy(() -> InitialLatents.of(new long[] {4, 4, 4}, nan))
                .hasMessage("latents values must be finite, but value 10 is: NaN");
        assertThatThrownBy(() -> InitialLatents.stack(4, 4, 4, List.of(new float[64], new float[60])))
                .hasMessage("latent 1 must have 4x4x4 = 64 values, but has: 60");
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

    @Test
    void imagesPerPromptMustBePositiveAndTakesExactlyOneSeed() {
        assertThatThrownBy(() -> ImageRequest.of("x").withImagesPerPrompt(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("images per prompt must be >= 1 (1 = one image per seed), but is: 0");
        assertThatThrownBy(() -> ImageRequest.of("x").withImagesPerPrompt(-1))
                .hasMessage("images per prompt must be >= 1 (1 = one image per seed), but is: -1");
        // seeds [0, 1] are two generators; a batch from one generator needs one seed, whichever comes first
        assertThatThrownBy(() -> ImageRequest.of("x").withSeeds(List.of(0L, 1L)).withImagesPerPrompt(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("images per prompt 2 needs exactly one seed (its single generator draws the whole batch), "
                        + "but seeds are [0, 1]; for one generator per image, give the seed list with images per "
                        + "prompt 1");
        assertThatThrownBy(() -> ImageRequest.of("x").withImagesPerPrompt(2).withSeeds(List.of(0L, 1L)))
                .hasMessageStartingWith("images per prompt 2 needs exactly one seed");
        // 1 is the default and goes with any number of seeds
        ImageRequest three = ImageRequest.of("x").withSeeds(List.of(4L, 5L, 6L));
        assertThat(three.imagesPerPrompt()).isEqualTo(1);
        assertThat(three.images()).isEqualTo(3);
        assertThat(three.withImagesPerPrompt(1).sharedGenerator()).isFalse();
    }

    @Test
    void aBatchFromOneSeedCountsItsImagesAndSizesItsLatents() {
        ImageRequest r = ImageRequest.of("x").withSize(32, 32).withImagesPerPrompt(3);
        assertThat(r.images()).isEqualTo(3);
        assertThat(r.sharedGenerator()).isTrue();
        assertThat(r.seeds()).containsExactly(0L);
        // three images from one seed start from [3, 4, 4, 4] latents, not [1, ...]
        InitialLatents one = InitialLatents.of(new long[] {4, 4, 4}, new float[64]);
        assertThatThrownBy(() -> r.withLatents(one)).hasMessage("latents must have shape [3, 4, 4, 4] (3 images per "
                + "prompt, 4 channels, height/8, width/8 for 32x32), but have shape [1, 4, 4, 4]; set the size and "
                + "images per prompt before the latents");
        InitialLatents three = InitialLatents.of(new long[] {3, 4, 4, 4}, new float[192]);
        assertThat(r.withLatents(three).latents()).contains(three);
        // other settings keep the batch
        assertThat(r.withSteps(7).withEta(0.5).withScheduler("euler_a").imagesPerPrompt()).isEqualTo(3);
    }
}
