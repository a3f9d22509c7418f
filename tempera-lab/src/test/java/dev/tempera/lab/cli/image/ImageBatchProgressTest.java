package dev.tempera.lab.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.lab.cli.CapturedErr;
import org.junit.jupiter.api.Test;

/** The batch progress of {@code tempera image --in}: a line per tenth of the images off a terminal, a bar on one. */
class ImageBatchProgressTest {

    private final CapturedErr err = new CapturedErr();
    /** A clock the test moves: nanoseconds. */
    private long now;

    @Test
    void withoutATerminalOneLineIsPrintedPerTenthOfTheImagesAndNoneForSteps() {
        // 10 lines of 4 images, each line one generate call: every line is another tenth
        ImageBatchProgress p = new ImageBatchProgress(err.writer(), 10, 40, false, () -> now);
        for (int k = 1; k <= 10; k++) {
            p.lineStarted(k);
            for (int s = 1; s <= 30; s++) {
                p.step(s, 30);
            }
            now += 2_000_000_000L;
            p.imagesDone(4);
        }
        assertThat(err.lines()).hasSize(10);
        // 4 images in 2 s = 0.5 s/image; 36 images left at 0.5 s = 18 s
        assertThat(err.lines().get(0)).isEqualTo("tempera image: line 1/10, images 4/40 (10%), 0.50 s/image, ETA 0:18");
        assertThat(err.lines().get(9)).isEqualTo("tempera image: line 10/10, images 40/40 (100%), 0.50 s/image, ETA 0:00");
        assertThat(err.text()).doesNotContain("step").doesNotContain("\r");
    }

    @Test
    void aCallThatCrossesSeveralTenthsPrintsOneLine() {
        ImageBatchProgress p = new ImageBatchProgress(err.writer(), 2, 3, false, () -> now);
        p.lineStarted(1);
        now += 1_000_000_000L;
        p.imagesDone(2); // 66 %: six tenths at once, one line
        p.lineStarted(2);
        now += 1_000_000_000L;
        p.imagesDone(1);
        assertThat(err.lines()).containsExactly("tempera image: line 1/2, images 2/3 (66%), 0.50 s/image, ETA 0:01",
                "tempera image: line 2/2, images 3/3 (100%), 0.67 s/image, ETA 0:00");
    }

    @Test
    void onATerminalTheBarShowsTheStepAndIsRedrawnAtMostEvery100Milliseconds() {
        ImageBatchProgress p = new ImageBatchProgress(err.writer(), 1, 2, true, () -> now);
        p.lineStarted(1);
        for (int s = 1; s <= 4; s++) {
            now += 60_000_000L; // 60 ms a step: steps 1 (first draw) and 3 (120 ms later) draw, 2 and 4 do not
            p.step(s, 4);
        }
        p.imagesDone(2); // the last images always draw, and end the line
        String s = err.text();
        assertThat(s.chars().filter(c -> c == '\r').count()).isEqualTo(3);
        assertThat(s).contains("· step 1/4").doesNotContain("step 2/4").contains("· step 3/4")
                .doesNotContain("step 4/4");
        // the last draw pads over the end of the longer bar before it ("· step 3/4"), then ends the line
        String last = s.substring(s.lastIndexOf('\r') + 1);
        assertThat(last).endsWith(" \n");
        assertThat(last.strip()).isEqualTo("[" + "█".repeat(24) + "] line 1/1, images 2/2 (100%), 0.12 s/image, "
                + "ETA 0:00");
    }

    @Test
    void aWarningEndsTheBarAndGetsALineOfItsOwn() {
        ImageBatchProgress p = new ImageBatchProgress(err.writer(), 1, 1, true, () -> now);
        p.lineStarted(1);
        p.step(1, 10);
        p.warn("eta 0.5 is ignored");
        p.step(2, 10); // redrawn at once after the warning, not 100 ms later
        assertThat(err.text()).contains("step 1/10\ntempera: eta 0.5 is ignored\n\r[").contains("step 2/10");
    }

    @Test
    void moreImagesThanTheBatchHasIsAnError() {
        ImageBatchProgress p = new ImageBatchProgress(err.writer(), 1, 2, false, () -> now);
        p.imagesDone(2);
        assertThatThrownBy(() -> p.imagesDone(1))
                .hasMessage("n must be in [0, 0] (2 of 2 images are done), but is: 1");
        assertThatThrownBy(() -> new ImageBatchProgress(err.writer(), 3, 2, false, () -> now))
                .hasMessage("lines must be >= 1 and images >= lines, but are: lines=3, images=2");
    }
}
