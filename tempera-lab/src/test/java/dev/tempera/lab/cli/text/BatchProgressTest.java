package dev.tempera.lab.cli.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.lab.cli.CapturedErr;
import org.junit.jupiter.api.Test;

class BatchProgressTest {

    private final CapturedErr err = new CapturedErr();
    /** A clock the test moves: nanoseconds. */
    private long now;

    @Test
    void withoutATerminalOneLineIsPrintedPerTenthOfTheLines() {
        BatchProgress p = new BatchProgress(err.writer(), 20, false, () -> now);
        for (int i = 0; i < 20; i++) {
            now += 1_000_000_000L;
            p.lineDone(10);
        }
        // 20 lines: every second line completes another tenth
        assertThat(err.lines()).hasSize(10);
        assertThat(err.lines().get(0)).startsWith("tempera generate: 2/20 lines (10%)");
        assertThat(err.lines().get(9)).startsWith("tempera generate: 20/20 lines (100%)");
    }

    @Test
    void withFewerLinesThanTenthsEveryLineIsReportedOnce() {
        BatchProgress p = new BatchProgress(err.writer(), 3, false, () -> now);
        for (int i = 0; i < 3; i++) {
            now += 1_000_000_000L;
            p.lineDone(1);
        }
        // line 1 is 33 %: it crosses three tenths at once but prints one line
        assertThat(err.lines()).extracting(s -> s.substring(0, s.indexOf(" lines")))
                .containsExactly("tempera generate: 1/3", "tempera generate: 2/3", "tempera generate: 3/3");
    }

    @Test
    void rateIsTokensPerSecondOfWallTimeAndEtaAssumesTheAverageLine() {
        now = 5_000_000_000L; // the start need not be 0
        BatchProgress p = new BatchProgress(err.writer(), 10, false, () -> now);
        now += 2_000_000_000L;
        p.lineDone(50);
        // 50 tokens in 2 s = 25 tok/s; 9 lines left at 2 s each = 18 s
        assertThat(err.lines()).containsExactly("tempera generate: 1/10 lines (10%), 25 tok/s, ETA 0:18");
        assertThat(p.tokens()).isEqualTo(50);
        assertThat(p.seconds()).isEqualTo(2.0);
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAtMostEvery100Milliseconds() {
        BatchProgress p = new BatchProgress(err.writer(), 4, true, () -> now);
        for (int i = 0; i < 4; i++) {
            now += 60_000_000L; // 60 ms per line: lines 1 (first draw) and 3 (120 ms later) draw, 2 does not, 4 is last
            p.lineDone(6);
        }
        String s = err.text();
        assertThat(s.chars().filter(c -> c == '\r').count()).isEqualTo(3);
        assertThat(s).contains("1/4 lines").doesNotContain("2/4 lines").contains("3/4 lines").contains("4/4 lines");
        assertThat(s).endsWith("\n").contains("[" + "█".repeat(24) + "] 4/4 lines (100%), 100 tok/s, ETA 0:00");
    }

    @Test
    void aShorterBarOverwritesTheEndOfTheLongerOneBeforeIt() {
        BatchProgress p = new BatchProgress(err.writer(), 3, true, () -> now);
        now = 100_000_000L;
        p.lineDone(100); // 100 tokens in 0.1 s: "1000 tok/s"
        int first = err.text().length();
        now = 200_000_000L;
        p.lineDone(0); // 100 tokens in 0.2 s: "500 tok/s", one character shorter, so one space pads it
        String second = err.text().substring(first);
        assertThat(err.text()).contains("1000 tok/s");
        assertThat(second).startsWith("\r[").contains("500 tok/s").hasSize(first);
        assertThat(second).endsWith(" ");
    }

    @Test
    void stopEndsABarLeftMidLineAndNothingElse() {
        BatchProgress bar = new BatchProgress(err.writer(), 3, true, () -> now);
        bar.lineDone(1);
        bar.stop();
        bar.stop();
        assertThat(err.text()).endsWith("ETA 0:00\n").doesNotEndWith("\n\n");
        int before = err.text().length();
        BatchProgress logLines = new BatchProgress(err.writer(), 3, false, () -> now);
        logLines.lineDone(1);
        int after = err.text().length();
        logLines.stop();
        assertThat(after).isGreaterThan(before);
        assertThat(err.text()).hasSize(after);
    }

    @Test
    void moreLinesThanTheTotalAndAnEmptyTotalAreErrors() {
        assertThatThrownBy(() -> new BatchProgress(err.writer(), 0, false, () -> now))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("total must be >= 1, but is: 0");
        BatchProgress p = new BatchProgress(err.writer(), 1, false, () -> now);
        p.lineDone(1);
        assertThatThrownBy(() -> p.lineDone(1)).isInstanceOf(IllegalStateException.class);
    }
}
