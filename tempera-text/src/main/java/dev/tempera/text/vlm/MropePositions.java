package dev.tempera.text.vlm;

/**
 * Qwen2-VL's 3-D rotary positions (M-RoPE) for a prompt, and the {@code rope_delta} that continues them during
 * decoding — transformers' {@code Qwen2VLModel.get_rope_index} for one unpadded sequence.
 *
 * <p>Text tokens get the same position in all three rows, counting on from the previous block. An image block (the
 * {@code <|image_pad|>} run after a {@code <|vision_start|>}) of {@code t × h × w} merged patches gets
 * (temporal, row, column) indices added to one common start, so it spans only {@code max(t, h, w)} positions; the
 * text after it continues from the block's largest position + 1. During decoding all three rows are
 * {@code cache_length + ropeDelta} with {@code ropeDelta = max(position) + 1 - prompt_length} (transformers'
 * Python sign; transformers.js adds the length for text-only prompts, which differs, see the conformance notes).
 *
 * @param positions {@code [3][n]}: rows temporal, height, width
 * @param ropeDelta the decode-time offset
 */
public record MropePositions(long[][] positions, long ropeDelta) {

    /**
     * Computes the positions of {@code ids}.
     *
     * @param gridThw {@code [images][3]} in patch units (before merging), in the order the images occur
     * @param mergeSize the vision encoder's spatial merge size (2)
     * @throws IllegalArgumentException when the image blocks and {@code gridThw} disagree
     */
    public static MropePositions of(int[] ids, long[][] gridThw, int imageTokenId, int videoTokenId,
                                    int visionStartTokenId, int mergeSize) {
        int n = ids.length;
        long[][] pos = new long[3][n];
        int image = 0;
        int st = 0;
        long next = 0;
        for (int s = 0; s + 1 < n; s++) {
            if (ids[s] != visionStartTokenId || s + 1 < st) {
                continue;
            }
            int kind = ids[s + 1];
            if (kind == videoTokenId) {
                throw new IllegalArgumentException("video inputs are not supported yet (a <|video_pad|> follows "
                        + "<|vision_start|> at position " + (s + 1) + ")");
            }
            if (kind != imageTokenId) {
                continue;
            }
            int ed = s + 1;
            if (image >= gridThw.length) {
                throw new IllegalArgumentException("the prompt has more image blocks than images: image "
                        + (image + 1) + " has no grid (grids given: " + gridThw.length + ")");
            }
            long t = gridThw[image][0];
            long h = gridThw[image][1] / mergeSize;
            long w = gridThw[image][2] / mergeSize;
            image++;
            for (int i = st; i < ed; i++) {
                long p = next + (i - st);
                pos[0][i] = p;
                pos[1][i] = p;
                pos[2][i] = p;
            }
            long base = next + (ed - st);
            long tokens = t * h * w;
            if (ed + tokens > n) {
                throw new IllegalArgumentException("image " + image + " needs " + tokens + " <|image_pad|> tokens "
                        + "from position " + ed + " but the prompt ends at " + n);
            }
            long max = base;
            int j = ed;
            for (long ti = 0; ti < t; ti++) {
                for (long hi = 0; hi < h; hi++) {
                    for (long wi = 0; wi < w; wi++) {
                        if (ids[j] != imageTokenId) {
                            throw new IllegalArgumentException("image " + image + " expects " + tokens
                                    + " <|image_pad|> tokens from position " + ed + ", but position " + j
                                    + " holds token " + ids[j]);
                        }
                        pos[0][j] = base + ti;
                        pos[1][j] = base + hi;
                        pos[2][j] = base + wi;
                        max = Math.max(max, Math.max(base + ti, Math.max(base + hi, base + wi)));
                        j++;
                    }
                }
            }
            next = max + 1;
            st = j;
            s = j - 1;
        }
        if (image != gridThw.length) {
            throw new IllegalArgumentException("the prompt has " + image + " image blocks but " + gridThw.length
                    + " images were given");
        }
        long max = next - 1;
        for (int i = st; i < n; i++) {
            long p = next + (i - st);
            pos[0][i] = p;
            pos[1][i] = p;
            pos[2][i] = p;
            max = p;
        }
        return new MropePositions(pos, max + 1 - n);
    }

    /** The positions flattened row-major as {@code [3, 1, n]} for the decoder's {@code position_ids}. */
    public long[] flat() {
        int n = positions[0].length;
        long[] out = new long[3 * n];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(positions[r], 0, out, r * n, n);
        }
        return out;
    }
}
