package dev.tempera.lab.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PyReprTest {

    /** Each expected string is what CPython 3 prints for {@code repr(x)}; they were printed by python3 on this machine. */
    @ParameterizedTest(name = "repr({0}) = {1}")
    @CsvSource({
        "1e-5,                '1e-05'",
        "0.0001,              '0.0001'",
        "1e16,                '1e+16'",
        "1234567890123456.0,  '1234567890123456.0'",
        "0.1,                 '0.1'",
        "0.6666666666666666,  '0.6666666666666666'",
        "123456789.0,         '123456789.0'",
        "1e22,                '1e+22'",
        "4.9e-324,            '5e-324'",
        "0.30000000000000004, '0.30000000000000004'",
        "0.00030000000000000003, '0.00030000000000000003'",
        "0.0,                 '0.0'",
        "-2.5,                '-2.5'",
    })
    void writesFloatsAsPythonsRepr(double x, String expected) {
        assertThat(PyRepr.of(x)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void seedDictWritesTheIntZeroWhenThereAreNoWords() {
        // calculate_diversity([""]) in Python: {'lexical_diversity': 0, 'unique_words': 0, 'total_words': 0}
        assertThat(PyRepr.seedDict(0, 0, 0)).isEqualTo("{'lexical_diversity': 0, 'unique_words': 0, 'total_words': 0}");
        // calculate_diversity(["Nothing else"]): 2 / 2 is the float 1.0
        assertThat(PyRepr.seedDict(1.0, 2, 2)).isEqualTo("{'lexical_diversity': 1.0, 'unique_words': 2, 'total_words': 2}");
    }
}
