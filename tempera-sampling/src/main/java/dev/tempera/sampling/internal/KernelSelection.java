package dev.tempera.sampling.internal;

import java.util.Locale;

/** Chooses the kernels once per JVM: the Vector API ones when the incubator module is present. */
final class KernelSelection {

    static final Kernels BEST = choose();

    private KernelSelection() {}

    private static Kernels choose() {
        String forced = System.getProperty("tempera.kernels", "auto").toLowerCase(Locale.ROOT);
        if (forced.equals("scalar")) {
            return ScalarKernels.INSTANCE;
        }
        Kernels vector = vectorOrNull();
        if (vector == null && forced.equals("vector")) {
            throw new IllegalStateException("tempera.kernels=vector, but the Vector API is not available:"
                    + " start the JVM with --add-modules jdk.incubator.vector");
        }
        return vector != null ? vector : ScalarKernels.INSTANCE;
    }

    /** The vector kernels, or null when this JVM was not started with the incubator module. */
    static Kernels vectorOrNull() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (Kernels) Class.forName("dev.tempera.sampling.internal.VectorKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
