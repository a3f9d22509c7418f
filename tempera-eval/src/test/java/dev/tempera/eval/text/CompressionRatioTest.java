package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden byte counts from CPython 3.11.7's zlib (the codec Whisper calls):
 * {@code b = t.encode("utf-8"); print(len(b), len(zlib.compress(b)))}.
 *
 * <p>Bad inputs tried: a null output in a set, negative and zero byte counts.
 */
class CompressionRatioTest {

    @Test
    void matchesPythonZlibCompress() {
        assertThat(CompressionRatio.of("")).isEqualTo(new CompressionRatio(0, 8));
        assertThat(CompressionRatio.of("a")).isEqualTo(new CompressionRatio(1, 9));
        assertThat(CompressionRatio.of("hello hello hello hello hello hello hello hello"))
                .isEqualTo(new CompressionRatio(47, 17));
        assertThat(CompressionRatio.of("一个红色的圆形在蓝色背景的左边。".repeat(3))).isEqualTo(new CompressionRatio(144, 60));
        CompressionRatio fox = CompressionRatio.of("The quick brown fox jumps over the lazy dog. ".repeat(20));
        assertThat(fox).isEqualTo(new CompressionRatio(900, 61));
        assertThat(fox.ratio()).isEqualTo(900.0 / 61);
    }

    @Test
    void emptyTextHasRatioZeroNotNaN() {
        assertThat(CompressionRatio.of("").ratio()).isZero();
        assertThat(CompressionRatio.ofSet(List.of()).ratio()).isZero();
    }

    @Test
    void setIsJoinedWithSpaces() {
        // "hello" x 8 joined with " " is the 47-byte string above
        assertThat(CompressionRatio.ofSet(List.of("hello", "hello", "hello", "hello", "hello", "hello", "hello", "hello")))
                .isEqualTo(new CompressionRatio(47, 17));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> CompressionRatio.ofSet(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("outputs[1] must be a string, but is: null");
        assertThatThrownBy(() -> new CompressionRatio(-1, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rawBytes must be >= 0 and compressedBytes >= 1, but are: -1 and 8");
        assertThatThrownBy(() -> new CompressionRatio(3, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
