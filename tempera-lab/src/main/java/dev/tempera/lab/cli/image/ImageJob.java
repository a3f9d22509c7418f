package dev.tempera.lab.cli.image;

import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.SdxlOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one prompt asks for: what {@code tempera image --prompt ...} runs, and what one line of an {@code --in}
 * file runs once its fields are merged over the flags. Images: one per seed and guidance scale.
 *
 * @param request the prompt, size, steps, seeds, scheduler, eta, latents, clip skip; its guidance scale is the first
 *     of {@code guidance}
 * @param guidance the guidance scales, in order, at least one; several make a contact sheet
 * @param xl the SDXL-only inputs (ignored by SD 1.x/2.x)
 * @param latentsLabel the {@code --latents} file name recorded in the PNGs ("Latents: start.npy[1]"), when the request
 *     starts from given latents
 */
record ImageJob(ImageRequest request, List<Double> guidance, SdxlOptions xl, Optional<String> latentsLabel) {

    ImageJob {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(xl, "xl");
        Objects.requireNonNull(latentsLabel, "latentsLabel");
        guidance = List.copyOf(guidance);
        if (guidance.isEmpty()) {
            throw new IllegalArgumentException("guidance must hold at least one scale, but is empty");
        }
        for (double g : guidance) {
            request.withGuidance(g); // ImageRequest's own check: >= 0 and finite
        }
        if (request.guidanceScale() != guidance.get(0)) {
            throw new IllegalArgumentException("the request's guidance scale must be the first of " + guidance
                    + ", but is: " + request.guidanceScale());
        }
        if (latentsLabel.isPresent() != request.latents().isPresent()) {
            throw new IllegalArgumentException("latentsLabel must be given exactly when the request has latents, but "
                    + "is " + latentsLabel + " for a request " + (request.latents().isPresent() ? "with" : "without")
                    + " latents");
        }
    }

    /** The number of images: (seeds, or images per prompt of one seed) × guidance scales. */
    int images() {
        return request.images() * guidance.size();
    }
}
