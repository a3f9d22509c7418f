package dev.tempera.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void drawsNamePercentMegabytesAndSpeedInPlace() {
        ConsoleProgress p = new ConsoleProgress(out, () -> now);
        p.update("onnx/model.onnx", 0, 4_000_000);
        now = 500_000_000L; // 0.5 s later, 1 MB more: 2.0 MB/s
        p.update("onnx/model.onnx", 1_000_000, 4_000_000);
        assertThat(text()).isEqualTo("\ronnx/model.onnx    0%  0.0/4.0 MB  0.0 MB/s"
                + "\ronnx/model.onnx   25%  1.0/4.0 MB  2.0 MB/s");
    }

    @Test
    void redrawsAtMostEvery200MsButAlwaysTheLastAndEndsTheLine() {
        ConsoleProgress p = new ConsoleProgress(out, () -> now);
        p.update("f", 0, 100);
        now = 100_000_000L;
        p.update("f", 50, 100); // 100 ms after the last draw: skipped
        now = 150_000_000L;
        p.update("f", 100, 100); // complete: drawn anyway
        p.finished("f", 100);
        String[] draws = text().split("\r", -1);
        assertThat(draws).hasSize(4); // "", first, complete, finished
        assertThat(draws[2]).startsWith("f  100%");
        assertThat(text()).endsWith("\n");
    }

    @Test
    void speedLeavesOutTheBytesAResumedFileAlreadyHad() {
        ConsoleProgress p = new ConsoleProgress(out, () -> now);
        p.update("f", 3_000_000, 4_000_000);
        now = 1_000_000_000L;
        p.update("f", 4_000_000, 4_000_000);
        assertThat(text()).endsWith("f  100%  4.0/4.0 MB  1.0 MB/s");
    }

    @Test
    void aShorterLineBlanksTheRestOfTheLongerOne() {
        ConsoleProgress p = new ConsoleProgress(out, () -> now);
        p.update("long-file-name.onnx", 0, -1); // "long-file-name.onnx  0.0 MB  0.0 MB/s": 37 characters
        p.update("a", 0, -1); // 19 characters, then 18 blanks over the rest of the old line
        assertThat(text().substring(text().lastIndexOf('\r') + 1)).isEqualTo("a  0.0 MB  0.0 MB/s" + " ".repeat(18));
    }
}
