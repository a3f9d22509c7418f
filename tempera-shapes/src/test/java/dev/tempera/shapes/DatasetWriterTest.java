package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetWriterTest {

    @TempDir Path dir;

    @Test
    void writesOneLinePerSceneWithSceneCaptionsAndSplit() throws IOException {
        DatasetSpec spec = new DatasetSpec(30, 1, 32);
        DatasetWriter.Summary summary = DatasetWriter.write(spec, dir, (done, total) -> {});
        List<String> lines = Files.readAllLines(dir.resolve("scenes.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(30);
        assertThat(summary.train() + summary.test()).isEqualTo(30);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = json.readTree(lines.get(i));
            Scene scene = SceneSampler.sample(1, i);
            assertThat(line.get("index").asInt()).isEqualTo(i);
            assertThat(line.get("scene")).isEqualTo(DatasetWriter.toJson(scene));
            assertThat(line.get("split").asText()).isEqualTo(DatasetWriter.isTest(1, i) ? "test" : "train");
            assertThat(Files.exists(dir.resolve(line.get("image").asText()))).isTrue();
            for (String lang : List.of("en", "zh")) {
                String detailed = line.at("/captions/" + lang + "/detailed").asText();
                assertThat(TextParser.parse(detailed).toScene()).hasValueSatisfying(s -> assertThat(s.sameAs(scene)).isTrue());
                assertThat(line.at("/captions/" + lang + "/short").asText()).isNotBlank();
            }
        }
        assertThat(json.readTree(dir.resolve("dataset.json").toFile()).get("count").asInt()).isEqualTo(30);
    }

    @Test
    void sameSpecWritesIdenticalJsonl() throws IOException {
        DatasetSpec spec = new DatasetSpec(20, 9, 16);
        DatasetWriter.write(spec, dir.resolve("a"), (d, t) -> {});
        DatasetWriter.write(spec, dir.resolve("b"), (d, t) -> {});
        assertThat(Files.readString(dir.resolve("a/scenes.jsonl"))).isEqualTo(Files.readString(dir.resolve("b/scenes.jsonl")));
    }

    @Test
    void splitIsFixedPerIndexAndHoldsOutAboutTenPercent() {
        long tests = IntStream.range(0, 20000).filter(i -> DatasetWriter.isTest(1, i)).count();
        // Binomial(20000, 0.1): mean 2000, sd 42; 5 sd either side.
        assertThat(tests).isBetween(1790L, 2210L);
        // A bigger dataset keeps every scene in its split: the split depends on (seed, index) only.
        assertThat(DatasetWriter.entry(new DatasetSpec(10, 1, 64), 7).get("split"))
                .isEqualTo(DatasetWriter.entry(new DatasetSpec(20000, 1, 64), 7).get("split"));
    }

    @Test
    void refusesToOverwriteAnExistingDataset() {
        DatasetWriter.write(new DatasetSpec(1, 1, 16), dir, (d, t) -> {});
        assertThatThrownBy(() -> DatasetWriter.write(new DatasetSpec(1, 1, 16), dir, (d, t) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not already hold a dataset").hasMessageContaining(dir.toString());
    }

    @Test
    void specRejectsOutOfRangeValues() {
        assertThatThrownBy(() -> new DatasetSpec(0, 1, 64)).hasMessage("count must be in [1, 10000000], but is: 0");
        assertThatThrownBy(() -> new DatasetSpec(1, 1, 8)).hasMessage("size must be in [16, 4096] pixels, but is: 8");
    }

    @Test
    void progressReachesTheTotal() {
        int[] last = {0};
        DatasetWriter.write(new DatasetSpec(12, 1, 16), dir, (done, total) -> last[0] = done);
        assertThat(last[0]).isEqualTo(12);
    }
}
