package dev.tempera.lab.cli.text;

import static dev.tempera.lab.cli.text.BatchCli.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchOutputFileTest {

    @TempDir Path dir;

    @Test
    void linesGoToAHiddenTemporaryFileUntilCommitRenamesIt() throws IOException {
        Path target = dir.resolve("o.jsonl");
        try (BatchOutputFile f = BatchOutputFile.create(target, false)) {
            f.writeLine("{\"a\":1}");
            f.writeLine("{\"b\":\"形\"}");
            assertThat(target).doesNotExist();
            assertThat(f.temp().getParent()).isEqualTo(dir);
            assertThat(f.temp().getFileName().toString()).startsWith(".o.jsonl.").endsWith(".partial");

            f.commit();

            assertThat(f.temp()).doesNotExist();
        }
        assertThat(Files.readString(target)).isEqualTo("{\"a\":1}\n{\"b\":\"形\"}\n");
        assertThat(names(dir)).containsExactly("o.jsonl");
    }

    @Test
    void closingWithoutCommitLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("o.jsonl"), "old\n");
        try (BatchOutputFile f = BatchOutputFile.create(target, true)) {
            f.writeLine("new");
        }
        assertThat(Files.readString(target)).isEqualTo("old\n");
        assertThat(names(dir)).containsExactly("o.jsonl");
    }

    @Test
    void replacingNeedsPermission() throws IOException {
        Path target = Files.writeString(dir.resolve("o.jsonl"), "old\n");

        assertThatThrownBy(() -> BatchOutputFile.create(target, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists; pass --force");

        try (BatchOutputFile f = BatchOutputFile.create(target, true)) {
            f.writeLine("new");
            f.commit();
        }
        assertThat(Files.readString(target)).isEqualTo("new\n");
    }

    @Test
    void aTargetThatAppearsDuringTheRunIsNotOverwrittenWithoutPermission() throws IOException {
        Path target = dir.resolve("o.jsonl");
        try (BatchOutputFile f = BatchOutputFile.create(target, false)) {
            f.writeLine("mine");
            Files.writeString(target, "someone else's\n");

            assertThatThrownBy(f::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was created by someone else during the run");
        }
        assertThat(Files.readString(target)).isEqualTo("someone else's\n");
        assertThat(names(dir)).containsExactly("o.jsonl");
    }

    @Test
    void aFolderOrAMissingFolderIsNotATarget() {
        assertThatThrownBy(() -> BatchOutputFile.create(dir, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a folder");
        assertThatThrownBy(() -> BatchOutputFile.create(dir.resolve("no/such/o.jsonl"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must exist, but does not");
    }
}
