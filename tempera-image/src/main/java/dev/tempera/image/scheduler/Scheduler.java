package dev.tempera.image.scheduler;

/**
 * A diffusion sampler: picks the timesteps and turns each model output into the next, less noisy, latent. Each
 * implementation is a line-by-line port of the diffusers class of the same name and reproduces its float32
 * arithmetic, so that timesteps match exactly and latents to rounding.
 *
 * <p>The denoising loop, in diffusers' order:
 * <pre>{@code
 * Scheduler scheduler = Schedulers.create("euler", config);
 * scheduler.setTimesteps(30);
 * generator.fill(latents);                                   // standard normal
 * scale(latents, scheduler.initNoiseSigma());                // diffusers: latents * init_noise_sigma
 * for (int i = 0; i < scheduler.stepCount(); i++) {
 *     scheduler.scaleModelInput(latents, i, unetInput);
 *     unet(unetInput, scheduler.timestep(i), noisePred);     // then classifier-free guidance
 *     scheduler.step(noisePred, i, latents, generator, latents);
 * }
 * }</pre>
 *
 * <p><b>State and threads.</b> Instances are mutable and not thread-safe: multistep schedulers (DPM++, PNDM, LMS) keep
 * the previous model outputs. {@link #setTimesteps} starts a new schedule and clears that state. The first
 * {@link #step} after it may be at any index (an img2img run starts part-way), every later one must be the next index.
 *
 * <p><b>Buffers.</b> Latents are flat float arrays in the model's layout (batch, channels, height, width). No method
 * allocates per step: the state buffers are made on the first step of a schedule, sized to the sample, and reused
 * while the sample size stays the same. {@code out} may be the same array as {@code sample} (in-place update); it must
 * not alias {@code modelOutput}.
 */
public interface Scheduler {

    /** The registry name this scheduler was created under ("euler", "dpmpp_2m_karras", ...). */
    String name();

    /** The config as this scheduler uses it: the explicit values plus this scheduler class's defaults. */
    SchedulerConfig config();

    /**
     * Chooses the timesteps for {@code numInferenceSteps} steps and resets all state.
     *
     * @throws IllegalArgumentException if {@code numInferenceSteps} is not in [1, num_train_timesteps], or breaks a
     *                                  limit of the scheduler (LCM: at most {@code original_inference_steps}; PNDM
     *                                  with Runge-Kutta warm-up: at least 4)
     */
    void setTimesteps(int numInferenceSteps);

    /** The {@code numInferenceSteps} of the last {@link #setTimesteps} call; 0 before the first. */
    int numInferenceSteps();

    /**
     * How many model calls the schedule takes: the length of {@link #timesteps()}. Usually
     * {@code numInferenceSteps}; PNDM (PLMS) takes one more, and {@code trailing} spacing takes one more when
     * {@code T / n} is not exact in floating point (numpy's arange, e.g. n = 61).
     */
    int stepCount();

    /**
     * The timestep the model gets at each step, a copy. Euler's are fractional float32 values under
     * {@code linspace} spacing; the others are whole numbers.
     */
    double[] timesteps();

    /** The timestep of step {@code stepIndex}. */
    double timestep(int stepIndex);

    /**
     * The noise levels of the k-diffusion schedulers (Euler, Euler ancestral, LMS, DPM++), a copy: entry i is the
     * level at step i, and there is one more entry than there are steps, the level after the last step (two more with
     * Euler's {@code log_linear} interpolation, as in diffusers). Empty for DDIM, PNDM and LCM, which work with
     * alpha-bar.
     */
    float[] sigmas();

    /** The standard deviation of the initial latents: the caller multiplies unit Gaussian noise by it. */
    float initNoiseSigma();

    /**
     * The model input for step {@code stepIndex}: {@code sample / sqrt(sigma^2 + 1)} for Euler, Euler ancestral and
     * LMS, {@code sample} itself for the others. {@code out} may be {@code sample}.
     */
    void scaleModelInput(float[] sample, int stepIndex, float[] out);

    /**
     * One denoising step: writes the latent for the next step into {@code out}.
     *
     * @param modelOutput what the model predicted at {@code stepIndex} (after guidance), read only
     * @param stepIndex   index into {@link #timesteps()}
     * @param sample      the current latent, read only unless it is also {@code out}
     * @param noise       fresh Gaussian noise for stochastic schedulers ({@link #usesNoise()}); may be null for the
     *                    others
     * @param out         receives the next latent; may be {@code sample}
     * @throws IllegalStateException    if {@link #setTimesteps} was not called, or the steps are out of order
     * @throws IllegalArgumentException if the arrays differ in length, or a needed {@code noise} is null
     */
    void step(float[] modelOutput, int stepIndex, float[] sample, NoiseSource noise, float[] out);

    /** Whether {@link #step} draws from its {@link NoiseSource} (at some steps at least). */
    boolean usesNoise();
}
