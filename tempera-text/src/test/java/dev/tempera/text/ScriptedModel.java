package dev.tempera.text;

/**
 * A fake {@link LanguageModel} for the loop's unit tests: at generated position {@code g} its logits put
 * {@code peak} on {@code script[g]} (or on a position-dependent spread of tokens when {@code script} is shorter), the
 * same whatever came before, so the tokens depend only on the sampler. Counts prefills, decodes and open states.
 */
final class ScriptedModel implements LanguageModel {

    final int vocab;
    final int context;
    final int[] script;
    final float peak;
    int prefills;
    int decodes;
    int openStates;
    int promptLength;

    ScriptedModel(int vocab, int context, int[] script, float peak) {
        this.vocab = vocab;
        this.context = context;
        this.script = script;
        this.peak = peak;
    }

    final class State implements DecodeState {
        int length;
        boolean closed;

        State(int length) {
            this.length = length;
            openStates++;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public DecodeState fork() {
            return new State(length);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openStates--;
            }
        }
    }

    DecodeState prefill(int promptLength, float[] logits) {
        prefills++;
        this.promptLength = promptLength;
        fill(0, logits);
        return new State(promptLength);
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int contextLength() {
        return context;
    }

    @Override
    public void decode(DecodeState state, int token, float[] logits) {
        State s = (State) state;
        if (s.closed) {
            throw new IllegalStateException("decode on a closed state");
        }
        if (s.length >= context) {
            throw new IllegalStateException("full");
        }
        decodes++;
        s.length++;
        fill(s.length - promptLength, logits);
    }

    private void fill(int generated, float[] logits) {
        for (int i = 0; i < vocab; i++) {
            // a smooth, position-dependent spread so that seeded sampling has real choices
            logits[i] = (float) Math.sin(0.7 * i + 1.3 * generated);
        }
        if (generated < script.length) {
            logits[script[generated]] = peak;
        }
    }

    @Override
    public void close() {
    }
}
