package dev.tempera.image.scheduler;

import java.util.Optional;

/**
 * The ported diffusers scheduler classes: their {@code _class_name}, their constructor defaults (the ones that
 * differ between classes), and how to build one.
 */
enum SchedulerClass {
    EULER("EulerDiscreteScheduler"),
    EULER_ANCESTRAL("EulerAncestralDiscreteScheduler"),
    DDIM("DDIMScheduler"),
    DPM_SOLVER_MULTISTEP("DPMSolverMultistepScheduler"),
    PNDM("PNDMScheduler"),
    LMS("LMSDiscreteScheduler"),
    LCM("LCMScheduler");

    private final String className;
    private SchedulerConfig defaults;

    SchedulerClass(String className) {
        this.className = className;
    }

    /** diffusers' class name, as in {@code _class_name}. */
    String className() {
        return className;
    }

    static Optional<SchedulerClass> byClassName(String className) {
        for (SchedulerClass c : values()) {
            if (c.className.equals(className)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The config diffusers' {@code __init__} defaults give this class; no key explicit. */
    synchronized SchedulerConfig defaults() {
        if (defaults == null) {
            SchedulerConfig.Builder b = SchedulerConfig.builder().className(className);
            switch (this) {
                case DDIM -> b.timestepSpacing(TimestepSpacing.LEADING).clipSample(true).setAlphaToOne(true);
                case PNDM -> b.timestepSpacing(TimestepSpacing.LEADING);
                case LCM -> b.betaStart(0.00085).betaEnd(0.012).betaSchedule(BetaSchedule.SCALED_LINEAR)
                        .timestepSpacing(TimestepSpacing.LEADING).setAlphaToOne(true);
                default -> {
                    // Euler, Euler ancestral, DPM++ and LMS share the builder's (Euler's) defaults
                }
            }
            defaults = b.buildDefaults();
        }
        return defaults;
    }

    /** A scheduler of this class for an already-resolved config. */
    Scheduler create(String name, SchedulerConfig config, double eta) {
        return switch (this) {
            case EULER -> new EulerDiscreteScheduler(name, config);
            case EULER_ANCESTRAL -> new EulerAncestralScheduler(name, config);
            case DDIM -> new DdimScheduler(name, config, eta);
            case DPM_SOLVER_MULTISTEP -> new DpmSolverMultistepScheduler(name, config);
            case PNDM -> new PndmScheduler(name, config);
            case LMS -> new LmsDiscreteScheduler(name, config);
            case LCM -> new LcmScheduler(name, config);
        };
    }
}
