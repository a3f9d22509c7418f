package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SampleCommandTest {

    private static final String[] ARGS = {"sample", "--logits", "2,1,0.5,0.2", "--temperature", "0.7", "--top-p", "0.9",
        "--seed", "42", "--draws", "10000"};

    @Test
    void frequenciesMatchTheProcessedDistribution() {
        JsonNode root = ExplainCommandTest.json(Cli.run(ExplainCommandTest.concat(ARGS, new String[] {"--json"})));
        // T = 0.7 then top-p 0.9 keeps three tokens ([0.6976, 0.1672, 0.0819] sum to 0.947 > 0.9; the first two
        // reach only 0.865), so the test has 2 degrees of freedom. The 99.9% quantile of chi-square(2) is 13.82.
        assertThat(root.get("df").asInt()).isEqualTo(2);
        assertThat(root.get("chi_square").asDouble()).isLessThan(13.82);
        assertThat(root.get("p_value").asDouble()).isGreaterThan(0.001);
        assertThat(root.get("outside_kept").asLong()).isZero();
        long total = 0;
        for (JsonNode t : root.get("tokens")) {
            total += t.get("count").asLong();
            // Each frequency within 5 standard errors of its probability.
            double p = t.get("prob").asDouble();
            double sd = Math.sqrt(p * (1 - p) / 10000);
            assertThat(t.get("freq").asDouble()).isBetween(p - 5 * sd, p + 5 * sd);
        }
        assertThat(total).isEqualTo(10000);
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        Cli a = Cli.run(ARGS);
        Cli b = Cli.run(ARGS);
        assertThat(a.code()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).contains("seed 42").contains("chi-square");
    }

    @Test
    void anotherSeedDrawsDifferently() {
        String[] other = ARGS.clone();
        other[8] = "43";
        assertThat(Cli.run(other).out()).isNotEqualTo(Cli.run(ARGS).out());
    }

    @Test
    void textShowsProcessedProbabilityNextToFrequency() {
        Cli r = Cli.run(ARGS);
        // token 0: T = 0.7 gives 0.697644, renormalised over the three kept tokens 0.736936.
        assertThat(r.out()).containsPattern("\n +0 +0\\.736936 +7369\\.4 +\\d+ +0\\.7\\d{5}\n")
                .containsPattern("\n +3 +0 +0\\.0 +0 +0\\.000000\n")
                .containsPattern("chi-square \\d+\\.\\d{4}, 2 degrees of freedom \\(3 kept tokens\\), p-value");
    }

    @Test
    void unseededRunsReportTheRandomSeed() {
        Cli r = Cli.run("sample", "--logits", "1,2", "--draws", "10");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("seed -?\\d+ \\(random\\)");
    }

    @Test
    void largeRunsReportProgressEveryTenPercent() {
        // 200,000 tokens x 501 draws is above the 10^8 threshold: ten progress lines, the last at 100%.
        float[] logits = new float[200_000];
        logits[7] = 5f;
        java.io.StringWriter err = new java.io.StringWriter();
        dev.tempera.sampling.SamplingParams p = dev.tempera.sampling.SamplingParams.builder().seed(3).maxTokens(501).build();
        SampleCommand.Result r = SampleCommand.run(p, Input.ofLogits(logits, "--logits"), new java.io.PrintWriter(err));
        assertThat(java.util.Arrays.stream(r.counts()).sum()).isEqualTo(501);
        assertThat(err.toString().lines()).hasSize(10).last().asString().contains("100% (501 of 501 draws)");
        // Small runs stay quiet.
        java.io.StringWriter quiet = new java.io.StringWriter();
        SampleCommand.run(p, Input.ofLogits(new float[] {1f, 2f}, "--logits"), new java.io.PrintWriter(quiet));
        assertThat(quiet.toString()).isEmpty();
    }
}
