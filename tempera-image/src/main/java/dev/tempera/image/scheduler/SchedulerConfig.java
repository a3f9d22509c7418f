package dev.tempera.image.scheduler;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The contents of a diffusers {@code scheduler/scheduler_config.json}: the training noise schedule and the options of
 * every ported scheduler, under diffusers' key names.
 *
 * <p>Immutable and validated: a bad value throws {@link IllegalArgumentException} saying
 * {@code <json key> must be <allowed>, but is: <value>}. Unknown keys are ignored, as diffusers ignores them
 * ({@code _diffusers_version}, {@code sample_max_value}, ...).
 *
 * <p><b>Explicit keys.</b> {@link #explicitKeys()} lists the keys the file (or the builder) actually set; the other
 * components hold the defaults of the class named by {@code _class_name} (Euler's when there is none). This matters
 * when a different scheduler is made from the config: like diffusers' {@code from_config}, it takes the explicit
 * values and its <em>own</em> defaults for the rest (diffusers records the missing keys in
 * {@code _use_default_values}; a JSON that carries that list is honoured). So DPM++ made from SD 1.5's Hub file, which
 * has no {@code timestep_spacing}, uses DPM's {@code linspace}, while DPM++ made from a re-saved copy of the same file
 * (an optimum ONNX export writes every key) inherits {@code leading}.
 *
 * <pre>{@code
 * SchedulerConfig config = SchedulerConfig.read(modelDir.resolve("scheduler/scheduler_config.json"));
 * Scheduler scheduler = Schedulers.create("dpmpp_2m_karras", config);
 * SchedulerConfig custom = config.toBuilder().predictionType(PredictionType.V_PREDICTION).build();
 * }</pre>
 *
 * @param className              {@code _class_name}, the diffusers class; empty when absent
 * @param numTrainTimesteps      {@code num_train_timesteps}, T
 * @param betaStart              {@code beta_start}, in [0, 1)
 * @param betaEnd                {@code beta_end}, in [0, 1)
 * @param betaSchedule           {@code beta_schedule}
 * @param trainedBetas           {@code trained_betas}: explicit betas (T of them) replacing the schedule; empty = none
 * @param predictionType         {@code prediction_type}
 * @param timestepSpacing        {@code timestep_spacing}
 * @param stepsOffset            {@code steps_offset}, added to {@code leading} timesteps (1 for SD and SDXL)
 * @param setAlphaToOne          {@code set_alpha_to_one}: DDIM, PNDM, LCM use alpha_bar = 1 (else alpha_bar(0)) past
 *                               the last timestep
 * @param skipPrkSteps           {@code skip_prk_steps}: PNDM runs PLMS only (SD's setting) instead of 12 Runge-Kutta
 *                               steps first
 * @param clipSample             {@code clip_sample}: DDIM and LCM clamp the predicted x0 to ±clip_sample_range
 * @param clipSampleRange        {@code clip_sample_range}, &gt; 0
 * @param thresholding           {@code thresholding} (dynamic thresholding for pixel-space models; not ported: a
 *                               scheduler refuses a config with it on)
 * @param rescaleBetasZeroSnr    {@code rescale_betas_zero_snr}: rescale the betas to zero terminal SNR
 * @param interpolationType      {@code interpolation_type} (Euler)
 * @param timestepType           {@code timestep_type} (Euler)
 * @param useKarrasSigmas        {@code use_karras_sigmas} (Euler, LMS, DPM++)
 * @param useExponentialSigmas   {@code use_exponential_sigmas} (not ported)
 * @param useBetaSigmas          {@code use_beta_sigmas} (not ported)
 * @param useLuLambdas           {@code use_lu_lambdas} (not ported)
 * @param useFlowSigmas          {@code use_flow_sigmas} (not ported)
 * @param sigmaMin               {@code sigma_min}: overrides the Karras schedule's low end; empty = none
 * @param sigmaMax               {@code sigma_max}: overrides the Karras schedule's high end; empty = none
 * @param finalSigmasType        {@code final_sigmas_type} (Euler, DPM++)
 * @param solverOrder            {@code solver_order} (DPM++), 1 to 3
 * @param algorithmType          {@code algorithm_type} (DPM++)
 * @param solverType             {@code solver_type} (DPM++)
 * @param lowerOrderFinal        {@code lower_order_final} (DPM++): first-order steps at the end of short schedules
 * @param eulerAtFinal           {@code euler_at_final} (DPM++): always a first-order last step
 * @param lambdaMinClipped       {@code lambda_min_clipped} (DPM++): timesteps whose log-SNR is below it are dropped;
 *                               -infinity = none
 * @param varianceType           {@code variance_type} (DPM++; learned variance is not ported); empty = none
 * @param originalInferenceSteps {@code original_inference_steps} (LCM): the distillation schedule's length, &gt;= 1
 * @param timestepScaling        {@code timestep_scaling} (LCM), &gt; 0
 * @param explicitKeys           the keys set by the file or the builder (sorted, unmodifiable)
 */
public record SchedulerConfig(
        String className,
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        BetaSchedule betaSchedule,
        List<Double> trainedBetas,
        PredictionType predictionType,
        TimestepSpacing timestepSpacing,
        int stepsOffset,
        boolean setAlphaToOne,
        boolean skipPrkSteps,
        boolean clipSample,
        double clipSampleRange,
        boolean thresholding,
        boolean rescaleBetasZeroSnr,
        InterpolationType interpolationType,
        TimestepType timestepType,
        boolean useKarrasSigmas,
        boolean useExponentialSigmas,
        boolean useBetaSigmas,
        boolean useLuLambdas,
        boolean useFlowSigmas,
        OptionalDouble sigmaMin,
        OptionalDouble sigmaMax,
        FinalSigmasType finalSigmasType,
        int solverOrder,
        DpmAlgorithm algorithmType,
        DpmSolverType solverType,
        boolean lowerOrderFinal,
        boolean eulerAtFinal,
        double lambdaMinClipped,
        String varianceType,
        int originalInferenceSteps,
        double timestepScaling,
        Set<String> explicitKeys) {

    /** Every key this record understands, in diffusers' spelling. */
    public static final List<String> KEYS = List.of(
            "_class_name", "num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas",
            "prediction_type", "timestep_spacing", "steps_offset", "set_alpha_to_one", "skip_prk_steps",
            "clip_sample", "clip_sample_range", "thresholding", "rescale_betas_zero_snr", "interpolation_type",
            "timestep_type", "use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas", "use_lu_lambdas",
            "use_flow_sigmas", "sigma_min", "sigma_max", "final_sigmas_type", "solver_order", "algorithm_type",
            "solver_type", "lower_order_final", "euler_at_final", "lambda_min_clipped", "variance_type",
            "original_inference_steps", "timestep_scaling");

    public SchedulerConfig {
        if (className == null) {
            throw new IllegalArgumentException("_class_name must not be null; use \"\" for none");
        }
        if (numTrainTimesteps < 1 || numTrainTimesteps > 1_000_000) {
            throw new IllegalArgumentException(
                    "num_train_timesteps must be in [1, 1000000], but is: " + numTrainTimesteps);
        }
        checkUnitInterval("beta_start", betaStart);
        checkUnitInterval("beta_end", betaEnd);
        if (betaSchedule == null || predictionType == null || timestepSpacing == null || interpolationType == null
                || timestepType == null || finalSigmasType == null || algorithmType == null || solverType == null) {
            throw new IllegalArgumentException("enum-valued settings must not be null (beta_schedule, "
                    + "prediction_type, timestep_spacing, interpolation_type, timestep_type, final_sigmas_type, "
                    + "algorithm_type, solver_type)");
        }
        trainedBetas = trainedBetas == null ? List.of() : List.copyOf(trainedBetas);
        if (!trainedBetas.isEmpty()) {
            if (trainedBetas.size() != numTrainTimesteps) {
                throw new IllegalArgumentException("trained_betas must hold num_train_timesteps = " + numTrainTimesteps
                        + " values, but holds: " + trainedBetas.size());
            }
            for (int i = 0; i < trainedBetas.size(); i++) {
                double b = trainedBetas.get(i);
                if (!(b >= 0 && b <= 1)) {
                    throw new IllegalArgumentException("trained_betas[" + i + "] must be in [0, 1], but is: " + b);
                }
            }
        }
        if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
            throw new IllegalArgumentException("steps_offset must be in [0, num_train_timesteps = "
                    + numTrainTimesteps + "), but is: " + stepsOffset);
        }
        if (!(clipSampleRange > 0) || Double.isInfinite(clipSampleRange)) {
            throw new IllegalArgumentException("clip_sample_range must be finite and > 0, but is: " + clipSampleRange);
        }
        sigmaMin = checkSigma("sigma_min", sigmaMin);
        sigmaMax = checkSigma("sigma_max", sigmaMax);
        if (solverOrder < 1 || solverOrder > 3) {
            throw new IllegalArgumentException("solver_order must be in [1, 3], but is: " + solverOrder);
        }
        if (Double.isNaN(lambdaMinClipped)) {
            throw new IllegalArgumentException("lambda_min_clipped must be a number (-Infinity = none), but is: NaN");
        }
        if (varianceType == null) {
            throw new IllegalArgumentException("variance_type must not be null; use \"\" for none");
        }
        if (originalInferenceSteps < 1) {
            throw new IllegalArgumentException(
                    "original_inference_steps must be >= 1, but is: " + originalInferenceSteps);
        }
        if (!(timestepScaling > 0) || Double.isInfinite(timestepScaling)) {
            throw new IllegalArgumentException("timestep_scaling must be finite and > 0, but is: " + timestepScaling);
        }
        TreeSet<String> keys = new TreeSet<>(explicitKeys == null ? Set.of() : explicitKeys);
        for (String key : keys) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("explicitKeys must name keys of " + KEYS + ", but holds: " + key);
            }
        }
        explicitKeys = Collections.unmodifiableSet(keys);
    }

    private static void checkUnitInterval(String key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(key + " must be in [0, 1), but is: " + value);
        }
    }

    private static OptionalDouble checkSigma(String key, OptionalDouble value) {
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (value.isPresent() && !(value.getAsDouble() > 0 && Double.isFinite(value.getAsDouble()))) {
            throw new IllegalArgumentException(key + " must be finite and > 0 (or null), but is: "
                    + value.getAsDouble());
        }
        return value;
    }

    /** Whether the file or the builder set {@code key} (a diffusers key name). */
    public boolean isExplicit(String key) {
        return explicitKeys.contains(key);
    }

    /** A builder starting from this config, explicit keys included. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder holding Euler's defaults (the neutral defaults), nothing explicit. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a scheduler_config.json.
     *
     * @throws IllegalArgumentException if {@code file} is not an existing file
     * @throws IllegalStateException if it is not JSON or holds an invalid value (the message names the file)
     */
    public static SchedulerConfig read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("scheduler config must be an existing file, but is: "
                    + (file == null ? "null" : file.toAbsolutePath()));
        }
        JsonNode root;
        try {
            root = mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " holds an invalid scheduler config: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a scheduler_config.json ({@code -Infinity} is accepted, as Python's json writes it).
     *
     * @throws IllegalArgumentException if it is not a JSON object or holds an invalid value
     */
    public static SchedulerConfig fromJson(String json) {
        JsonNode root;
        try {
            root = mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("scheduler config is not valid JSON: " + e.getMessage(), e);
        }
        return fromJson(root);
    }

    /**
     * Reads a parsed scheduler_config.json object. Keys it does not have keep the defaults of the class named by
     * {@code _class_name} and are not explicit; so are the keys listed in {@code _use_default_values}.
     *
     * @throws IllegalArgumentException if {@code root} is not an object or holds an invalid value
     */
    public static SchedulerConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("scheduler config must be a JSON object, but is: "
                    + (root == null ? "null" : root.getNodeType()));
        }
        Set<String> usedDefaults = new TreeSet<>();
        JsonNode used = root.get("_use_default_values");
        if (used != null && used.isArray()) {
            used.forEach(n -> usedDefaults.add(n.asText()));
        }
        Builder b = new Builder();
        JsonNode cls = root.get("_class_name");
        if (cls != null && !cls.isNull()) {
            if (!cls.isTextual()) {
                throw new IllegalArgumentException("_class_name must be a string, but is: " + cls);
            }
            b.className(cls.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.startsWith("_") || !KEYS.contains(key) || usedDefaults.contains(key)) {
                continue;
            }
            b.parse(key, field.getValue());
        }
        SchedulerConfig parsed = b.build();
        return SchedulerClass.byClassName(parsed.className())
                .map(parsed::withDefaultsOf)
                .orElse(parsed);
    }

    /**
     * This config as diffusers' {@code from_config} hands it to {@code cls}: the explicit values, and {@code cls}'s
     * defaults for every other key. The explicit keys stay as they are; {@code _class_name} becomes {@code cls}'s (as
     * diffusers rewrites it).
     */
    SchedulerConfig withDefaultsOf(SchedulerClass cls) {
        Builder b = cls.defaults().toBuilder();
        for (String key : explicitKeys) {
            if (key.equals("_class_name")) {
                b.className(cls.className());
            } else {
                b.copy(key, this);
            }
        }
        return b.build();
    }

    private static ObjectMapper mapper() {
        return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    }

    /**
     * Builds a {@link SchedulerConfig}; every setter marks its key explicit. Starts from Euler's defaults (the
     * neutral ones) or from an existing config.
     */
    public static final class Builder {
        private String className = "";
        private int numTrainTimesteps = 1000;
        private double betaStart = 0.0001;
        private double betaEnd = 0.02;
        private BetaSchedule betaSchedule = BetaSchedule.LINEAR;
        private List<Double> trainedBetas = List.of();
        private PredictionType predictionType = PredictionType.EPSILON;
        private TimestepSpacing timestepSpacing = TimestepSpacing.LINSPACE;
        private int stepsOffset = 0;
        private boolean setAlphaToOne = false;
        private boolean skipPrkSteps = false;
        private boolean clipSample = false;
        private double clipSampleRange = 1.0;
        private boolean thresholding = false;
        private boolean rescaleBetasZeroSnr = false;
        private InterpolationType interpolationType = InterpolationType.LINEAR;
        private TimestepType timestepType = TimestepType.DISCRETE;
        private boolean useKarrasSigmas = false;
        private boolean useExponentialSigmas = false;
        private boolean useBetaSigmas = false;
        private boolean useLuLambdas = false;
        private boolean useFlowSigmas = false;
        private OptionalDouble sigmaMin = OptionalDouble.empty();
        private OptionalDouble sigmaMax = OptionalDouble.empty();
        private FinalSigmasType finalSigmasType = FinalSigmasType.ZERO;
        private int solverOrder = 2;
        private DpmAlgorithm algorithmType = DpmAlgorithm.DPMSOLVER_PLUS_PLUS;
        private DpmSolverType solverType = DpmSolverType.MIDPOINT;
        private boolean lowerOrderFinal = true;
        private boolean eulerAtFinal = false;
        private double lambdaMinClipped = Double.NEGATIVE_INFINITY;
        private String varianceType = "";
        private int originalInferenceSteps = 50;
        private double timestepScaling = 10.0;
        private final Set<String> explicit = new TreeSet<>();

        private Builder() {
        }

        private Builder(SchedulerConfig c) {
            className = c.className;
            numTrainTimesteps = c.numTrainTimesteps;
            betaStart = c.betaStart;
            betaEnd = c.betaEnd;
            betaSchedule = c.betaSchedule;
            trainedBetas = c.trainedBetas;
            predictionType = c.predictionType;
            timestepSpacing = c.timestepSpacing;
            stepsOffset = c.stepsOffset;
            setAlphaToOne = c.setAlphaToOne;
            skipPrkSteps = c.skipPrkSteps;
            clipSample = c.clipSample;
            clipSampleRange = c.clipSampleRange;
            thresholding = c.thresholding;
            rescaleBetasZeroSnr = c.rescaleBetasZeroSnr;
            interpolationType = c.interpolationType;
            timestepType = c.timestepType;
            useKarrasSigmas = c.useKarrasSigmas;
            useExponentialSigmas = c.useExponentialSigmas;
            useBetaSigmas = c.useBetaSigmas;
            useLuLambdas = c.useLuLambdas;
            useFlowSigmas = c.useFlowSigmas;
            sigmaMin = c.sigmaMin;
            sigmaMax = c.sigmaMax;
            finalSigmasType = c.finalSigmasType;
            solverOrder = c.solverOrder;
            algorithmType = c.algorithmType;
            solverType = c.solverType;
            lowerOrderFinal = c.lowerOrderFinal;
            eulerAtFinal = c.eulerAtFinal;
            lambdaMinClipped = c.lambdaMinClipped;
            varianceType = c.varianceType;
            originalInferenceSteps = c.originalInferenceSteps;
            timestepScaling = c.timestepScaling;
            explicit.addAll(c.explicitKeys);
        }

        public Builder className(String v) {
            className = v;
            return mark("_class_name");
        }

        public Builder numTrainTimesteps(int v) {
            numTrainTimesteps = v;
            return mark("num_train_timesteps");
        }

        public Builder betaStart(double v) {
            betaStart = v;
            return mark("beta_start");
        }

        public Builder betaEnd(double v) {
            betaEnd = v;
            return mark("beta_end");
        }

        public Builder betaSchedule(BetaSchedule v) {
            betaSchedule = v;
            return mark("beta_schedule");
        }

        public Builder trainedBetas(List<Double> v) {
            trainedBetas = v;
            return mark("trained_betas");
        }

        public Builder predictionType(PredictionType v) {
            predictionType = v;
            return mark("prediction_type");
        }

        public Builder timestepSpacing(TimestepSpacing v) {
            timestepSpacing = v;
            return mark("timestep_spacing");
        }

        public Builder stepsOffset(int v) {
            stepsOffset = v;
            return mark("steps_offset");
        }

        public Builder setAlphaToOne(boolean v) {
            setAlphaToOne = v;
            return mark("set_alpha_to_one");
        }

        public Builder skipPrkSteps(boolean v) {
            skipPrkSteps = v;
            return mark("skip_prk_steps");
        }

        public Builder clipSample(boolean v) {
            clipSample = v;
            return mark("clip_sample");
        }

        public Builder clipSampleRange(double v) {
            clipSampleRange = v;
            return mark("clip_sample_range");
        }

        public Builder thresholding(boolean v) {
            thresholding = v;
            return mark("thresholding");
        }

        public Builder rescaleBetasZeroSnr(boolean v) {
            rescaleBetasZeroSnr = v;
            return mark("rescale_betas_zero_snr");
        }

        public Builder interpolationType(InterpolationType v) {
            interpolationType = v;
            return mark("interpolation_type");
        }

        public Builder timestepType(TimestepType v) {
            timestepType = v;
            return mark("timestep_type");
        }

        public Builder useKarrasSigmas(boolean v) {
            useKarrasSigmas = v;
            return mark("use_karras_sigmas");
        }

        public Builder useExponentialSigmas(boolean v) {
            useExponentialSigmas = v;
            return mark("use_exponential_sigmas");
        }

        public Builder useBetaSigmas(boolean v) {
            useBetaSigmas = v;
            return mark("use_beta_sigmas");
        }

        public Builder useLuLambdas(boolean v) {
            useLuLambdas = v;
            return mark("use_lu_lambdas");
        }

        public Builder useFlowSigmas(boolean v) {
            useFlowSigmas = v;
            return mark("use_flow_sigmas");
        }

        public Builder sigmaMin(OptionalDouble v) {
            sigmaMin = v;
            return mark("sigma_min");
        }

        public Builder sigmaMax(OptionalDouble v) {
            sigmaMax = v;
            return mark("sigma_max");
        }

        public Builder finalSigmasType(FinalSigmasType v) {
            finalSigmasType = v;
            return mark("final_sigmas_type");
        }

        public Builder solverOrder(int v) {
            solverOrder = v;
            return mark("solver_order");
        }

        public Builder algorithmType(DpmAlgorithm v) {
            algorithmType = v;
            return mark("algorithm_type");
        }

        public Builder solverType(DpmSolverType v) {
            solverType = v;
            return mark("solver_type");
        }

        public Builder lowerOrderFinal(boolean v) {
            lowerOrderFinal = v;
            return mark("lower_order_final");
        }

        public Builder eulerAtFinal(boolean v) {
            eulerAtFinal = v;
            return mark("euler_at_final");
        }

        public Builder lambdaMinClipped(double v) {
            lambdaMinClipped = v;
            return mark("lambda_min_clipped");
        }

        public Builder varianceType(String v) {
            varianceType = v;
            return mark("variance_type");
        }

        public Builder originalInferenceSteps(int v) {
            originalInferenceSteps = v;
            return mark("original_inference_steps");
        }

        public Builder timestepScaling(double v) {
            timestepScaling = v;
            return mark("timestep_scaling");
        }

        private Builder mark(String key) {
            explicit.add(key);
            return this;
        }

        /** Builds and validates. */
        public SchedulerConfig build() {
            return new SchedulerConfig(className, numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                    predictionType, timestepSpacing, stepsOffset, setAlphaToOne, skipPrkSteps, clipSample,
                    clipSampleRange, thresholding, rescaleBetasZeroSnr, interpolationType, timestepType,
                    useKarrasSigmas, useExponentialSigmas, useBetaSigmas, useLuLambdas, useFlowSigmas, sigmaMin,
                    sigmaMax, finalSigmasType, solverOrder, algorithmType, solverType, lowerOrderFinal, eulerAtFinal,
                    lambdaMinClipped, varianceType, originalInferenceSteps, timestepScaling, explicit);
        }

        /** Builds with no key explicit (class defaults). */
        SchedulerConfig buildDefaults() {
            explicit.clear();
            return build();
        }

        /** Sets {@code key} to the value it has in {@code from}, marking it explicit. */
        void copy(String key, SchedulerConfig from) {
            switch (key) {
                case "_class_name" -> className(from.className);
                case "num_train_timesteps" -> numTrainTimesteps(from.numTrainTimesteps);
                case "beta_start" -> betaStart(from.betaStart);
                case "beta_end" -> betaEnd(from.betaEnd);
                case "beta_schedule" -> betaSchedule(from.betaSchedule);
                case "trained_betas" -> trainedBetas(from.trainedBetas);
                case "prediction_type" -> predictionType(from.predictionType);
                case "timestep_spacing" -> timestepSpacing(from.timestepSpacing);
                case "steps_offset" -> stepsOffset(from.stepsOffset);
                case "set_alpha_to_one" -> setAlphaToOne(from.setAlphaToOne);
                case "skip_prk_steps" -> skipPrkSteps(from.skipPrkSteps);
                case "clip_sample" -> clipSample(from.clipSample);
                case "clip_sample_range" -> clipSampleRange(from.clipSampleRange);
                case "thresholding" -> thresholding(from.thresholding);
                case "rescale_betas_zero_snr" -> rescaleBetasZeroSnr(from.rescaleBetasZeroSnr);
                case "interpolation_type" -> interpolationType(from.interpolationType);
                case "timestep_type" -> timestepType(from.timestepType);
                case "use_karras_sigmas" -> useKarrasSigmas(from.useKarrasSigmas);
                case "use_exponential_sigmas" -> useExponentialSigmas(from.useExponentialSigmas);
                case "use_beta_sigmas" -> useBetaSigmas(from.useBetaSigmas);
                case "use_lu_lambdas" -> useLuLambdas(from.useLuLambdas);
                case "use_flow_sigmas" -> useFlowSigmas(from.useFlowSigmas);
                case "sigma_min" -> sigmaMin(from.sigmaMin);
                case "sigma_max" -> sigmaMax(from.sigmaMax);
                case "final_sigmas_type" -> finalSigmasType(from.finalSigmasType);
                case "solver_order" -> solverOrder(from.solverOrder);
                case "algorithm_type" -> algorithmType(from.algorithmType);
                case "solver_type" -> solverType(from.solverType);
                case "lower_order_final" -> lowerOrderFinal(from.lowerOrderFinal);
                case "euler_at_final" -> eulerAtFinal(from.eulerAtFinal);
                case "lambda_min_clipped" -> lambdaMinClipped(from.lambdaMinClipped);
                case "variance_type" -> varianceType(from.varianceType);
                case "original_inference_steps" -> originalInferenceSteps(from.originalInferenceSteps);
                case "timestep_scaling" -> timestepScaling(from.timestepScaling);
                default -> throw new IllegalArgumentException("unknown scheduler config key: " + key);
            }
        }

        /** Sets {@code key} from its JSON value, marking it explicit. */
        void parse(String key, JsonNode v) {
            switch (key) {
                case "num_train_timesteps" -> numTrainTimesteps(integer(key, v));
                case "beta_start" -> betaStart(number(key, v));
                case "beta_end" -> betaEnd(number(key, v));
                case "beta_schedule" -> betaSchedule(BetaSchedule.fromJson(text(key, v)));
                case "trained_betas" -> trainedBetas(numbers(key, v));
                case "prediction_type" -> predictionType(PredictionType.fromJson(text(key, v)));
                case "timestep_spacing" -> timestepSpacing(TimestepSpacing.fromJson(text(key, v)));
                case "steps_offset" -> stepsOffset(integer(key, v));
                case "set_alpha_to_one" -> setAlphaToOne(bool(key, v));
                case "skip_prk_steps" -> skipPrkSteps(bool(key, v));
                case "clip_sample" -> clipSample(bool(key, v));
                case "clip_sample_range" -> clipSampleRange(number(key, v));
                case "thresholding" -> thresholding(bool(key, v));
                case "rescale_betas_zero_snr" -> rescaleBetasZeroSnr(bool(key, v));
                case "interpolation_type" -> interpolationType(InterpolationType.fromJson(text(key, v)));
                case "timestep_type" -> timestepType(TimestepType.fromJson(text(key, v)));
                case "use_karras_sigmas" -> useKarrasSigmas(bool(key, v));
                case "use_exponential_sigmas" -> useExponentialSigmas(bool(key, v));
                case "use_beta_sigmas" -> useBetaSigmas(bool(key, v));
                case "use_lu_lambdas" -> useLuLambdas(bool(key, v));
                case "use_flow_sigmas" -> useFlowSigmas(bool(key, v));
                case "sigma_min" -> sigmaMin(v.isNull() ? OptionalDouble.empty() : OptionalDouble.of(number(key, v)));
                case "sigma_max" -> sigmaMax(v.isNull() ? OptionalDouble.empty() : OptionalDouble.of(number(key, v)));
                case "final_sigmas_type" -> finalSigmasType(FinalSigmasType.fromJson(text(key, v)));
                case "solver_order" -> solverOrder(integer(key, v));
                case "algorithm_type" -> algorithmType(DpmAlgorithm.fromJson(text(key, v)));
                case "solver_type" -> solverType(DpmSolverType.fromJson(text(key, v)));
                case "lower_order_final" -> lowerOrderFinal(bool(key, v));
                case "euler_at_final" -> eulerAtFinal(bool(key, v));
                case "lambda_min_clipped" -> lambdaMinClipped(number(key, v));
                case "variance_type" -> varianceType(v.isNull() ? "" : text(key, v));
                case "original_inference_steps" -> originalInferenceSteps(integer(key, v));
                case "timestep_scaling" -> timestepScaling(number(key, v));
                default -> throw new IllegalArgumentException("unknown scheduler config key: " + key);
            }
        }

        private static int integer(String key, JsonNode v) {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IllegalArgumentException(key + " must be an integer, but is: " + v);
            }
            return v.intValue();
        }

        private static double number(String key, JsonNode v) {
            if (!v.isNumber()) {
                throw new IllegalArgumentException(key + " must be a number, but is: " + v);
            }
            return v.doubleValue();
        }

        private static boolean bool(String key, JsonNode v) {
            if (v.isNull()) {
                return false; // Python treats None as False in these flags
            }
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(key + " must be true or false, but is: " + v);
            }
            return v.booleanValue();
        }

        private static String text(String key, JsonNode v) {
            if (!v.isTextual()) {
                throw new IllegalArgumentException(key + " must be a string, but is: " + v);
            }
            return v.textValue();
        }

        private static List<Double> numbers(String key, JsonNode v) {
            if (v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new IllegalArgumentException(key + " must be a list of numbers or null, but is: "
                        + v.getNodeType());
            }
            List<Double> out = new ArrayList<>(v.size());
            for (JsonNode n : v) {
                out.add(number(key, n));
            }
            return out;
        }
    }
}
