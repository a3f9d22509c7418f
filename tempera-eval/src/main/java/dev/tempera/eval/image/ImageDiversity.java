package dev.tempera.eval.image;

import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.diversity.PairwiseCosine;
import dev.tempera.eval.diversity.Vendi;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * Image diversity of a set of images: mean pairwise CLIP-embedding cosine distance and Vendi score over CLIP image
 * embeddings (eval anchors §2.2–2.3, with the CLIP model and preprocessing of the folder given), and MS-SSIM
 * diversity in pixel space ({@link MsSsimDiversity}).
 *
 * <p>What callers trip on: the CLIP numbers depend on the model (shapes-clip's are not ViT-B/32's); Vendi grows with
 * the set size (use {@link ImageDiversityReport#clipVendiPerImage()} to compare sets of different sizes); MS-SSIM
 * needs all images at one size. Stateless; thread-safe if the model is.
 *
 * <pre>{@code
 * ImageDiversityReport r = ImageDiversity.measure(clip, images);
 * System.out.printf("CLIP distance %.3f, Vendi %.2f of %d, MS-SSIM diversity %.3f%n",
 *         r.clipMeanCosineDistance(), r.clipVendi(), r.images(), r.pixel().diversity());
 * }</pre>
 */
public final class ImageDiversity {

    private ImageDiversity() {}

    /**
     * Embeds {@code images} with {@code clip} (batched) and measures all three.
     *
     * @throws IllegalArgumentException if the list is empty, holds null, or the images differ in size or are smaller
     *     than 11×11
     */
    public static ImageDiversityReport measure(ClipModel clip, List<BufferedImage> images) {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(images, "images");
        MsSsimDiversity pixel = MsSsimDiversity.of(images); // validates the list before the model runs
        return fromEmbeddings(clip.embedImages(images), pixel);
    }

    /**
     * From CLIP image embeddings computed elsewhere (one row per image, same order) and the pixel diversity.
     *
     * @throws IllegalArgumentException if the row count differs from the pixel diversity's image count, or a row is
     *     invalid (see {@link PairwiseCosine#meanDistance})
     */
    public static ImageDiversityReport fromEmbeddings(float[][] clipImageEmbeddings, MsSsimDiversity pixel) {
        Objects.requireNonNull(clipImageEmbeddings, "clipImageEmbeddings");
        Objects.requireNonNull(pixel, "pixel");
        if (clipImageEmbeddings.length != pixel.images()) {
            throw new IllegalArgumentException("clipImageEmbeddings must hold one row per image (" + pixel.images()
                    + "), but holds: " + clipImageEmbeddings.length);
        }
        return new ImageDiversityReport(pixel.images(), PairwiseCosine.meanDistance(clipImageEmbeddings),
                Vendi.score(clipImageEmbeddings), pixel);
    }
}
