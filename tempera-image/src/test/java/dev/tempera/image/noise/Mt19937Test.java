package dev.tempera.image.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Mt19937Test {

    @Test
    void seed5489GivesTheReferenceOutputs() {
        // 3499211612 is the first output of mt19937ar.c's init_genrand(5489); 4123659995 is the 10000th,
        // the value the C++ standard requires of a default-constructed std::mt19937 ([rand.predef]).
        Mt19937 engine = new Mt19937(5489);
        assertThat(Integer.toUnsignedLong(engine.random())).isEqualTo(3499211612L);
        for (int i = 2; i < 10000; i++) {
            engine.random();
        }
        assertThat(Integer.toUnsignedLong(engine.random())).isEqualTo(4123659995L);
    }

    @Test
    void rawOutputsMatchTorchsStreamForEveryGoldenSeed() {
        // make_goldens.py checks these numpy outputs against torch.rand before writing them.
        for (JsonNode c : TorchRandnGoldenTest.mt19937Goldens()) {
            Mt19937 engine = new Mt19937(c.get("seed64").asLong());
            long[] first = new long[16];
            for (int i = 0; i < first.length; i++) {
                first[i] = Integer.toUnsignedLong(engine.random());
            }
            for (int i = 16; i < 624; i++) {
                engine.random();
            }
            long[] afterTwist = new long[16];
            for (int i = 0; i < afterTwist.length; i++) {
                afterTwist[i] = Integer.toUnsignedLong(engine.random());
            }
            String seed = "seed " + c.get("seed").asText();
            assertThat(first).as(seed + " draws 0..15").containsExactly(TorchRandnGoldenTest.longs(c.get("first")));
            assertThat(afterTwist).as(seed + " draws 624..639, after the second twist")
                    .containsExactly(TorchRandnGoldenTest.longs(c.get("at_624_to_640")));
        }
    }

    @Test
    void lazyTwistMatchesTheTextbookEagerOneOverSeveralStateRefills() {
        SplittableRandom seeds = new SplittableRandom(20240611);
        long[] fixed = {0, 1, -1, Long.MIN_VALUE, 0xFFFFFFFFL, 1L << 32};
        for (int s = 0; s < 12; s++) {
            long seed = s < fixed.length ? fixed[s] : seeds.nextLong();
            Mt19937 engine = new Mt19937(seed);
            ReferenceMt19937 reference = new ReferenceMt19937(seed);
            for (int i = 0; i < 3 * 624 + 5; i++) {
                assertThat(Integer.toUnsignedLong(engine.random())).as("seed %d draw %d", seed, i)
                        .isEqualTo(reference.next());
            }
        }
    }

    @Test
    void onlyTheLow32BitsOfTheSeedReachTheState() {
        Mt19937 big = new Mt19937((1L << 32) + 5);
        Mt19937 small = new Mt19937(5);
        for (int i = 0; i < 1000; i++) {
            assertThat(big.random()).isEqualTo(small.random());
        }
        // ...but the seed itself is kept whole, as torch's initial_seed() reports it.
        assertThat(big.seed()).isEqualTo((1L << 32) + 5);
    }

    @Test
    void negativeSeedIsItsTwosComplementBits() {
        // torch.Generator().manual_seed(-1) stores 2**64 - 1, whose low 32 bits are 0xFFFFFFFF.
        Mt19937 negative = new Mt19937(-1);
        Mt19937 allOnes = new Mt19937(0xFFFFFFFFL);
        for (int i = 0; i < 1000; i++) {
            assertThat(negative.random()).isEqualTo(allOnes.random());
        }
        assertThat(Long.toUnsignedString(negative.seed())).isEqualTo("18446744073709551615");
    }

    @Test
    void random64PutsTheFirstDrawInTheHighWord() {
        Mt19937 engine = new Mt19937(42);
        Mt19937 twin = engine.copy();
        long packed = engine.random64();
        long high = Integer.toUnsignedLong(twin.random());
        long low = Integer.toUnsignedLong(twin.random());
        assertThat(packed).isEqualTo((high << 32) | low);
        assertThat(engine.random()).isEqualTo(twin.random());
    }

    @Test
    void reseedRestartsTheStream() {
        Mt19937 engine = new Mt19937(7);
        int first = engine.random();
        for (int i = 0; i < 700; i++) {
            engine.random(); // past a twist, so stale state would show
        }
        engine.reseed(7);
        assertThat(engine.random()).isEqualTo(first);
    }

    @Test
    void copyIsIndependent() {
        Mt19937 engine = new Mt19937(3);
        engine.random();
        Mt19937 copy = engine.copy();
        int next = engine.random();
        engine.random();
        assertThat(copy.random()).isEqualTo(next);
    }
}
