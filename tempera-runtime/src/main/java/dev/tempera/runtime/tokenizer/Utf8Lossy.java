package dev.tempera.runtime.tokenizer;

/**
 * UTF-8 decoding that replaces each maximal invalid subpart with one U+FFFD — the rule of Rust's
 * {@code String::from_utf8_lossy} (and so of Hugging Face tokenizers' decoders) and of Unicode's recommended practice.
 * Java's own decoder differs on some malformed input (it counts {@code ED BB} as one bad sequence, Rust as two), which
 * would make streamed text differ from the native decode.
 */
final class Utf8Lossy {

    private Utf8Lossy() {
    }

    static String decode(byte[] b, int off, int len) {
        StringBuilder out = new StringBuilder(len);
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                out.append((char) c);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            int cp;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                cp = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                cp = c & 0x0F;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                cp = c & 0x07;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= end) {
                    ok = false;
                    break;
                }
                int x = b[j] & 0xFF;
                if (x < lo || x > hi) {
                    ok = false;
                    break;
                }
                lo = 0x80;
                hi = 0xBF;
                cp = (cp << 6) | (x & 0x3F);
            }
            if (ok) {
                out.appendCodePoint(cp);
            } else {
                out.append('\uFFFD');
            }
            i = j;
        }
        return out.toString();
    }
}
