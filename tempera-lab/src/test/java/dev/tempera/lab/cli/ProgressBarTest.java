package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two forms of batch progress shared by {@code generate --in} and {@code image --in}, and their time formats. */
class ProgressBarTest {

    private final CapturedErr err = new CapturedErr();
    /** A clock the test moves: nanoseconds. */
    private long now;

    @Test
    void offATerminalAnUpdateThatDoesNotAdvanceDonePrintsNothing() {
        ProgressBar p = new ProgressBar(err.writer(), "x: ", false, () -> now);
        p.update(1, 10, false, t -> "one");
        p.update(1, 10, false, t -> "again"); // still 1 of 10: no new tenth crossed
        p.update(5, 10, false, t -> "five"); // crosses four tenths at once: one line
        assertThat(err.lines()).containsExactly("x: one", "x: five");
    }

    @Test
    void aWarningEndsTheBarAndTheNextUpdateDrawsAtOnce() {
        ProgressBar p = new ProgressBar(err.writer(), "x: ", true, () -> now);
        p.update(1, 4, false, t -> "a");
        p.warn("w");
        now += 1; // 1 ns later: inside the 100 ms throttle, but a warning resets it
        p.update(2, 4, false, t -> "b");
        assertThat(err.text()).isEqualTo("\r[" + "█".repeat(6) + "░".repeat(18) + "] a\ntempera: w\n\r["
                + "█".repeat(12) + "░".repeat(12) + "] b");
    }

    @Test
    void etaAssumesTheAverageOfTheFinishedWorkAndIsADashBeforeAny() {
        now = 7_000_000_000L; // the start need not be 0
        ProgressBar p = new ProgressBar(err.writer(), "x: ", false, () -> now);
        assertThat(p.eta(now + 5_000_000_000L, 0, 10)).isEqualTo("-");
        // 3 done in 6 s = 2 s each; 7 left = 14 s
        assertThat(p.eta(now + 6_000_000_000L, 3, 10)).isEqualTo("0:14");
        assertThat(p.elapsedNanos(now + 6_000_000_000L)).isEqualTo(6_000_000_000L);
    }

    @Test
    void durationsAreMinutesAndSecondsOrHoursMinutesAndSeconds() {
        assertThat(ProgressBar.duration(0)).isEqualTo("0:00");
        assertThat(ProgressBar.duration(65)).isEqualTo("1:05");
        assertThat(ProgressBar.duration(3725)).isEqualTo("1:02:05");
    }
}
