package dev.tempera.lab.cli;

/**
 * The language of the seed's table labels. {@code zh} prints the seed document's own labels
 * ({@code 原始概率:}, {@code 温度 0.5 后的概率:}, {@code Top-P (p=0.7) 后的概率:}).
 */
enum Lang {
    en, zh;

    String original() {
        return this == zh ? "原始概率:" : "Original probabilities:";
    }

    String temperature(double t) {
        return this == zh ? "温度 " + Fmt.py(t) + " 后的概率:" : "Temperature " + Fmt.py(t) + ":";
    }

    String topP(double p) {
        return this == zh ? "Top-P (p=" + Fmt.py(p) + ") 后的概率:" : "Top-P (p=" + Fmt.py(p) + "):";
    }
}
