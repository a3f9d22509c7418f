package dev.tempera.image.pipeline;

/**
 * What the UNet is conditioned on, for the whole model batch ({@code [uncond…, cond…]} when guided): the text encoder
 * states, and for SDXL the pooled text embeddings and the six "time ids" (original size, crop, target size).
 *
 * @param hidden {@code encoder_hidden_states} {@code [batch, seq, dim]}, flattened
 * @param textEmbeds SDXL's {@code text_embeds} {@code [batch, pooledDim]}, or null
 * @param timeIds SDXL's {@code time_ids} {@code [batch, 6]}, or null
 */
record Conditioning(float[] hidden, int batch, int seq, int dim, float[] textEmbeds, int pooledDim, float[] timeIds) {

    static Conditioning text(float[] hidden, int batch, int seq, int dim) {
        return new Conditioning(hidden, batch, seq, dim, null, 0, null);
    }
}
