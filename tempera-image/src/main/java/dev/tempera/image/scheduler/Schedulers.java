package dev.tempera.image.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Creates schedulers by name, from a model's {@link SchedulerConfig}, the way diffusers swaps schedulers with
 * {@code X.from_config(pipe.scheduler.config, **overrides)}.
 *
 * <table>
 *   <caption>Registry names</caption>
 *   <tr><th>name</th><th>diffusers class</th><th>A1111 name</th><th>overrides</th></tr>
 *   <tr><td>ddim</td><td>DDIMScheduler</td><td>DDIM</td><td></td></tr>
 *   <tr><td>dpmpp_2m</td><td>DPMSolverMultistepScheduler</td><td>DPM++ 2M</td>
 *       <td>algorithm_type dpmsolver++, solver_order 2, use_karras_sigmas false</td></tr>
 *   <tr><td>dpmpp_2m_karras</td><td>DPMSolverMultistepScheduler</td><td>DPM++ 2M Karras</td>
 *       <td>the same with use_karras_sigmas true</td></tr>
 *   <tr><td>dpmpp_2m_sde</td><td>DPMSolverMultistepScheduler</td><td>DPM++ 2M SDE</td>
 *       <td>algorithm_type sde-dpmsolver++, solver_order 2, use_karras_sigmas false</td></tr>
 *   <tr><td>dpmpp_2m_sde_karras</td><td>DPMSolverMultistepScheduler</td><td>DPM++ 2M SDE Karras</td>
 *       <td>the same with use_karras_sigmas true</td></tr>
 *   <tr><td>euler</td><td>EulerDiscreteScheduler</td><td>Euler</td><td></td></tr>
 *   <tr><td>euler_a</td><td>EulerAncestralDiscreteScheduler</td><td>Euler a</td><td></td></tr>
 *   <tr><td>lcm</td><td>LCMScheduler</td><td>LCM</td><td></td></tr>
 *   <tr><td>lms</td><td>LMSDiscreteScheduler</td><td>LMS</td><td></td></tr>
 *   <tr><td>pndm</td><td>PNDMScheduler</td><td>PLMS</td><td></td></tr>
 * </table>
 *
 * <p>The new scheduler takes the config's explicit keys and its own class defaults for the rest (see
 * {@link SchedulerConfig}); the overrides above win over both. {@code eta} is DDIM's stochasticity.
 *
 * <pre>{@code
 * SchedulerConfig config = SchedulerConfig.read(dir.resolve("scheduler/scheduler_config.json"));
 * Scheduler asShipped = Schedulers.fromConfig(config);            // the class in _class_name
 * Scheduler dpm = Schedulers.create("dpmpp_2m_karras", config);
 * Schedulers.create("dpm", config);   // IllegalArgumentException: Unknown scheduler 'dpm'; known: [ddim, ...]
 * }</pre>
 */
public final class Schedulers {

    private record Entry(SchedulerClass cls, UnaryOperator<SchedulerConfig.Builder> overrides) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("ddim", new Entry(SchedulerClass.DDIM, b -> b));
        REGISTRY.put("dpmpp_2m", new Entry(SchedulerClass.DPM_SOLVER_MULTISTEP, b -> dpm(b, false, false)));
        REGISTRY.put("dpmpp_2m_karras", new Entry(SchedulerClass.DPM_SOLVER_MULTISTEP, b -> dpm(b, false, true)));
        REGISTRY.put("dpmpp_2m_sde", new Entry(SchedulerClass.DPM_SOLVER_MULTISTEP, b -> dpm(b, true, false)));
        REGISTRY.put("dpmpp_2m_sde_karras", new Entry(SchedulerClass.DPM_SOLVER_MULTISTEP, b -> dpm(b, true, true)));
        REGISTRY.put("euler", new Entry(SchedulerClass.EULER, b -> b));
        REGISTRY.put("euler_a", new Entry(SchedulerClass.EULER_ANCESTRAL, b -> b));
        REGISTRY.put("lcm", new Entry(SchedulerClass.LCM, b -> b));
        REGISTRY.put("lms", new Entry(SchedulerClass.LMS, b -> b));
        REGISTRY.put("pndm", new Entry(SchedulerClass.PNDM, b -> b));
    }

    private static final Map<SchedulerClass, String> NAME_OF_CLASS = Map.of(
            SchedulerClass.DDIM, "ddim",
            SchedulerClass.DPM_SOLVER_MULTISTEP, "dpmpp_2m",
            SchedulerClass.EULER, "euler",
            SchedulerClass.EULER_ANCESTRAL, "euler_a",
            SchedulerClass.LCM, "lcm",
            SchedulerClass.LMS, "lms",
            SchedulerClass.PNDM, "pndm");

    private Schedulers() {
    }

    private static SchedulerConfig.Builder dpm(SchedulerConfig.Builder b, boolean sde, boolean karras) {
        return b.algorithmType(sde ? DpmAlgorithm.SDE_DPMSOLVER_PLUS_PLUS : DpmAlgorithm.DPMSOLVER_PLUS_PLUS)
                .solverOrder(2)
                .useKarrasSigmas(karras);
    }

    /** The registry names, sorted. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(REGISTRY.keySet());
        Collections.sort(names);
        return Collections.unmodifiableList(names);
    }

    /**
     * The scheduler {@code name} made from {@code config} (DDIM with eta 0).
     *
     * @throws IllegalArgumentException {@code Unknown scheduler 'x'; known: [ddim, ...]}, or if the config holds an
     *                                  option the scheduler does not port
     */
    public static Scheduler create(String name, SchedulerConfig config) {
        return create(name, config, 0.0);
    }

    /**
     * The scheduler {@code name} made from {@code config}, with DDIM's {@code eta} (&gt;= 0; it must be 0 for the
     * other schedulers, which have no such parameter).
     *
     * @throws IllegalArgumentException for an unknown name, a bad eta, or an unported option in the config
     */
    public static Scheduler create(String name, SchedulerConfig config, double eta) {
        Entry entry = REGISTRY.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("Unknown scheduler '" + name + "'; known: " + names());
        }
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        checkEta(name, entry.cls, eta);
        SchedulerConfig resolved = entry.overrides.apply(config.withDefaultsOf(entry.cls).toBuilder()).build();
        return entry.cls.create(name, resolved, eta);
    }

    /**
     * Whether scheduler {@code name}'s step takes {@code eta}: only {@code ddim}, as in diffusers, where
     * {@code DDIMScheduler.step} is the only ported step with an {@code eta} parameter. A pipeline uses this the way
     * diffusers' {@code prepare_extra_step_kwargs} inspects the step's signature: it passes eta on only when this is
     * true. False for an unknown name.
     */
    public static boolean takesEta(String name) {
        Entry entry = REGISTRY.get(name);
        return entry != null && entry.cls == SchedulerClass.DDIM;
    }

    /**
     * The scheduler named by the config's {@code _class_name}, with the config as it is (no overrides): what
     * diffusers' pipeline loads. Its {@link Scheduler#name()} is the class's plain registry name (a DPM++ config
     * gives "dpmpp_2m" whatever its options).
     *
     * @throws IllegalArgumentException if {@code _class_name} is missing or not a ported class
     */
    public static Scheduler fromConfig(SchedulerConfig config) {
        return fromConfig(config, 0.0);
    }

    /** {@link #fromConfig(SchedulerConfig)} with DDIM's {@code eta}. */
    public static Scheduler fromConfig(SchedulerConfig config, double eta) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        List<String> classes = new ArrayList<>();
        for (SchedulerClass c : SchedulerClass.values()) {
            classes.add(c.className());
        }
        Collections.sort(classes);
        if (config.className().isEmpty()) {
            throw new IllegalArgumentException("scheduler config has no _class_name; pick a scheduler by name, known: "
                    + names());
        }
        SchedulerClass cls = SchedulerClass.byClassName(config.className()).orElseThrow(() ->
                new IllegalArgumentException("Unknown scheduler class '" + config.className()
                        + "' in _class_name; known: " + classes + " (or pick one by name: " + names() + ")"));
        String name = NAME_OF_CLASS.get(cls);
        checkEta(name, cls, eta);
        return cls.create(name, config.withDefaultsOf(cls), eta);
    }

    private static void checkEta(String name, SchedulerClass cls, double eta) {
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be finite and >= 0, but is: " + eta);
        }
        if (eta != 0 && cls != SchedulerClass.DDIM) {
            throw new IllegalArgumentException("eta must be 0 for scheduler '" + name
                    + "' (only ddim has eta), but is: " + eta);
        }
    }
}
