package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void printsTheSeedsTemperatureTableWithItsLabels() {
        Cli r = Cli.run("demo");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(
                "原始概率: " + ExplainCommandTest.SOFTMAX + "\n",
                "温度 0.5 后的概率: " + ExplainCommandTest.T05 + "\n",
                "温度 1.0 后的概率: " + ExplainCommandTest.SOFTMAX + "\n",
                "温度 2.0 后的概率: " + ExplainCommandTest.T2 + "\n");
    }

    @Test
    void printsTheSeedsTopPTableWithItsLabels() {
        Cli r = Cli.run("demo");
        assertThat(r.out()).contains(
                "原始概率: [0.400000, 0.300000, 0.200000, 0.100000]\n",
                "Top-P (p=0.7) 后的概率: " + ExplainCommandTest.P07 + "\n",
                "Top-P (p=0.9) 后的概率: " + ExplainCommandTest.P09 + "\n");
    }

    @Test
    void theThreeOrdersDisagreeOnTheFiveTokenLogits() {
        // T 0.7, top-p 0.9, min-p 0.1 on [2, 1, 0.5, 0.2, -1]: vllm 2 tokens, transformers 3, llama.cpp 4.
        String out = Cli.run("demo").out();
        assertThat(out).containsPattern("  vllm +kept 2  \\[0\\.806679, 0\\.193321, 0, 0, 0\\]")
                .containsPattern("  transformers +kept 3  \\[0\\.736936, 0\\.176607, 0\\.086457, 0, 0\\]")
                .containsPattern("  llama\\.cpp +kept 4  \\[0\\.697644, 0\\.167191, 0\\.081847, 0\\.053318, 0\\]");
    }

    @Test
    void diversityGrowsWithTemperatureAndIsReproducible() {
        String out = Cli.run("demo").out();
        assertThat(out).isEqualTo(Cli.run("demo").out());
        // T 0.1 keeps one word (beach is e^4 times likelier than sunset at T 0.1), T 1.2 keeps more.
        assertThat(out).containsPattern("低温度,高 Top-P +temperature 0\\.1, top_p 0\\.9 +1 +1 +0\\.000  beach( beach){19}\n");
        assertThat(out).containsPattern("高温度,高 Top-P +temperature 1\\.2, top_p 0\\.9 +[5-8] +[3-8] ");
    }

    @Test
    void shapesVlDescribesTheImageAndHighTemperatureCostsFidelity() {
        String out = Cli.run("demo").out();
        assertThat(out).contains("== 5. The seed's experiment on the bundled shapes-vl");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(低温度|中等温度|高温度),(高|低) Top-P +([0-9.]+) +([0-9.]+) +(\\d+)  (\\d) distinct of 3").matcher(out);
        java.util.List<double[]> rows = new java.util.ArrayList<>();
        while (m.find()) {
            rows.add(new double[] {Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5))});
        }
        assertThat(rows).hasSize(4);
        // rows: T 0.1 / 0.7 / 1.2 with top-p 0.9, then T 0.7 with top-p 0.3 (fixed seeds: deterministic)
        assertThat(rows.get(0)[1]).as("low temperature describes the scene exactly").isEqualTo(1.0);
        assertThat(rows.get(2)[1]).as("high temperature is less faithful").isLessThan(rows.get(0)[1]);
        assertThat(rows.get(2)[2]).as("and hallucinates").isGreaterThan(rows.get(0)[2]);
        assertThat(rows.get(2)[0]).as("and is more diverse").isGreaterThan(rows.get(0)[0]);
    }
}
