package dev.tempera.image.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bit-exact comparison with vectors written by real PyTorch ({@code tools/conformance/noise/make_goldens.py},
 * torch 1.13 on an x86-64 CPU with AVX2; see {@code src/test/resources/noise/README.md}). Every float is
 * compared by its raw bits, so an off-by-one-ulp polynomial, a wrong lane pairing, a wrong tail or a wrong
 * draw order all fail here.
 *
 * <p>float64 is the exception: torch computes it with the C library's double {@code log}/{@code sin}/{@code cos}
 * (glibc here), which no Java function reproduces bit for bit (see {@link DoubleBoxMuller}). Each output goes
 * through two such calls ({@code log}, then {@code sin} or {@code cos}) that may each round the other way, so
 * float64 values are held to {@value #FLOAT64_ULPS} ulps. The draw order, pairing and cache are still checked:
 * any slip in those moves a value by far more.
 */
class TorchRandnGoldenTest {

    private static final JsonNode GOLDENS = load();
    private static final int FLOAT64_ULPS = 4;

    private static JsonNode load() {
        try (InputStream in = TorchRandnGoldenTest.class.getResourceAsStream("/noise/randn_goldens.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /noise/randn_goldens.json");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /noise/randn_goldens.json", e);
        }
    }

    static Stream<Named<JsonNode>> freshCases() {
        return nodes("fresh").map(c -> Named.of("randn" + c.get("shape") + " seed " + c.get("seed").asText(), c));
    }

    static Stream<Named<JsonNode>> sequences() {
        return Stream.concat(nodes("sequences"), nodes("float64")).map(s -> Named.of("seed " + s.get("seed").asText()
                + ": " + s.get("ops").size() + " ops, first " + describe(s.get("ops").get(0)), s));
    }

    private static Stream<JsonNode> nodes(String field) {
        return StreamSupport.stream(GOLDENS.get(field).spliterator(), false);
    }

    private static String describe(JsonNode op) {
        return op.get("op").asText() + (op.has("shape") ? op.get("shape") + " " + op.get("dtype").asText() : "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("freshCases")
    void freshGeneratorMatchesTorchBitForBit(JsonNode c) {
        long[] shape = longs(c.get("shape"));
        float[] actual = new TorchGenerator(c.get("seed64").asLong()).randn(shape);
        String what = "randn" + c.get("shape") + " seed " + c.get("seed").asText();

        assertThat(actual).as(what + " length").hasSize(c.get("numel").asInt());
        if (c.has("bits")) {
            assertBits(what, actual, 0, ints(c.get("bits")));
            return;
        }
        int[] head = ints(c.get("head"));
        int[] tail = ints(c.get("tail"));
        assertBits(what + " head", actual, 0, head);
        assertBits(what + " tail", actual, actual.length - tail.length, tail);
        int stride = c.get("stride").asInt();
        int[] strided = ints(c.get("strided"));
        for (int k = 0; k < strided.length; k++) {
            assertBits(what + " strided", new float[] {actual[k * stride]}, 0, new int[] {strided[k]});
        }
        assertThat(sha256(actual)).as(what + " SHA-256 of all float32 bytes").isEqualTo(c.get("sha256").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void successiveCallsOnOneGeneratorContinueTheStreamAsTorchDoes(JsonNode sequence) {
        TorchGenerator generator = new TorchGenerator(sequence.get("seed64").asLong());
        int step = 0;
        for (JsonNode op : sequence.get("ops")) {
            String what = "seed " + sequence.get("seed").asText() + ", op " + step + " " + describe(op);
            switch (op.get("op").asText()) {
                case "manual_seed" -> generator.manualSeed(op.get("seed64").asLong());
                case "randn" -> {
                    long[] shape = longs(op.get("shape"));
                    if (op.get("dtype").asText().equals("float32")) {
                        assertBits(what, generator.randn(shape), 0, ints(op.get("bits")));
                    } else {
                        assertWithinUlps(what, generator.randnDouble(shape), longs(op.get("bits64")));
                    }
                }
                default -> fail("unknown op in goldens: " + op);
            }
            step++;
        }
    }

    @Test
    void oneGeneratorPerImageMatchesTorchCatOfPerImageDraws() {
        for (JsonNode c : GOLDENS.get("generator_list")) {
            List<TorchGenerator> generators = new ArrayList<>();
            for (JsonNode seed : c.get("seeds64")) {
                generators.add(new TorchGenerator(seed.asLong()));
            }
            float[] actual = RandnTensor.randn(generators, longs(c.get("shape")));
            assertBits("generator list " + c.get("seeds"), actual, 0, ints(c.get("bits")));
        }
    }

    @Test
    void unseededGeneratorMatchesTorchGeneratorWithItsDefaultSeed() {
        JsonNode c = GOLDENS.get("default_generator");
        assertThat(Long.toUnsignedString(TorchGenerator.DEFAULT_SEED)).isEqualTo(c.get("initial_seed").asText());
        TorchGenerator generator = new TorchGenerator();
        assertThat(generator.initialSeed()).isEqualTo(TorchGenerator.DEFAULT_SEED);
        assertBits("torch.Generator() randn(20)", generator.randn(20), 0, ints(c.get("bits")));
    }

    @Test
    void initialSeedReportsTheSeedTorchReports() {
        // torch prints the 64 bits unsigned: manual_seed(-1).initial_seed() == 2**64 - 1.
        nodes("fresh").forEach(c -> {
            String python = c.get("seed").asText();
            String expected = python.startsWith("-")
                    ? new BigInteger(python).add(BigInteger.ONE.shiftLeft(64)).toString()
                    : python;
            assertThat(Long.toUnsignedString(new TorchGenerator(c.get("seed64").asLong()).initialSeed()))
                    .isEqualTo(expected);
        });
    }

    @Test
    void goldensWereMadeWithTheAvx2Kernel() {
        // Guards the premise of every test above: a golden file regenerated on ARM or a non-AVX2 build
        // would hold libm-based bits this implementation does not claim to match.
        assertThat(GOLDENS.get("cpu_capability").asText()).isIn("AVX2", "AVX512");
        assertThat(GOLDENS.get("machine").asText()).isEqualTo("x86_64");
    }

    static JsonNode mt19937Goldens() {
        return GOLDENS.get("mt19937");
    }

    private static void assertBits(String what, float[] actual, int from, int[] expectedBits) {
        for (int i = 0; i < expectedBits.length; i++) {
            int got = Float.floatToRawIntBits(actual[from + i]);
            if (got != expectedBits[i]) {
                fail("%s: element %d is %s (0x%08x), torch gives %s (0x%08x)", what, from + i, actual[from + i],
                        got, Float.intBitsToFloat(expectedBits[i]), expectedBits[i]);
            }
        }
    }

    private static void assertWithinUlps(String what, double[] actual, long[] expectedBits) {
        assertThat(actual).as(what + " length").hasSize(expectedBits.length);
        for (int i = 0; i < expectedBits.length; i++) {
            double expected = Double.longBitsToDouble(expectedBits[i]);
            if (Math.abs(actual[i] - expected) > FLOAT64_ULPS * Math.ulp(expected)) {
                fail("%s: element %d is %s, torch gives %s (more than %d ulps apart)", what, i, actual[i], expected,
                        FLOAT64_ULPS);
            }
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) array.get(i).asLong(); // uint32 in JSON, same bits as int
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static String sha256(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
