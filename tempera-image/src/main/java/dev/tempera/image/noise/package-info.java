/**
 * Seeded Gaussian noise that reproduces PyTorch's CPU generator, so a diffusion pipeline given the same
 * seed starts from the same latents as diffusers with {@code generator=torch.Generator("cpu").manual_seed(s)}.
 *
 * <pre>{@code
 * TorchGenerator generator = new TorchGenerator(42);
 * float[] latents = generator.randn(1, 4, 64, 64);  // == torch.randn((1,4,64,64), generator=g) on x86-64
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.tempera.image.noise.TorchGenerator}: the stateful generator ({@code torch.Generator}),
 *       {@code randn} in float32 (bit-exact) and float64 (within a few ulps).
 *   <li>{@link dev.tempera.image.noise.RandnTensor}: diffusers' {@code randn_tensor}, one generator for the
 *       batch or one per image.
 *   <li>{@link dev.tempera.image.noise.Mt19937}: the engine underneath.
 * </ul>
 *
 * <h2>What matches torch, and what cannot</h2>
 *
 * <p><b>Matches bit for bit</b>: float32 {@code torch.randn} on a CPU generator as computed by PyTorch on
 * x86-64 with AVX2, which includes every AVX-512 machine, because the normal kernel is registered with
 * {@code REGISTER_NO_AVX512_DISPATCH} and AVX-512 CPUs run the AVX2 code
 * ({@code aten/src/ATen/native/cpu/DistributionKernels.cpp}). Both of torch's paths are covered: 16 or more
 * elements (the vectorised {@code normal_fill_AVX2} with the Cephes {@code log256_ps}/{@code sincos256_ps}
 * of {@code avx_mathfun.h}) and fewer (the double-precision {@code normal_distribution} with the
 * generator's cached second value). Proven against vectors from a GCC-built torch 1.13 on Linux
 * ({@code tools/conformance/noise/make_goldens.py}). Later versions were not run; their sources show the
 * same float32 AVX2 kernel, uniform conversion and seeding.
 *
 * <p>The vector path depends on how the compiler that built torch fused multiplies into adds: GCC, which
 * builds the Linux wheels, fuses every multiply whose only use is an add ({@code -ffp-contract=fast}), and
 * {@link dev.tempera.image.noise.CephesFloatMath} reproduces exactly that (without the fusing, 59 of the
 * 134 golden cases fail). A torch built by a compiler that fuses differently (clang's default fuses only
 * within one source expression; MSVC does not fuse by default), as macOS x86-64 and Windows wheels may
 * be, would differ in the last bits. That is inferred from the compilers' documented defaults, not tested.
 *
 * <p><b>Differs in the last bits</b>:
 * <ul>
 *   <li>PyTorch builds without AVX2: ARM64 (Apple Silicon, Graviton) and x86 CPUs or builds without
 *       AVX2/FMA. They run the scalar {@code normal_fill_16<float>}, which calls the C library's
 *       {@code logf}/{@code cosf}/{@code sinf} and computes {@code theta} in double
 *       ({@code DistributionTemplates.h}), so their latents differ from x86 ones by about an ulp per value
 *       (and between C libraries). This package does not model that path.
 *   <li>float64 {@code randn}: torch uses the C library's double {@code log}/{@code sin}/{@code cos}; see
 *       {@link dev.tempera.image.noise.DoubleBoxMuller} for why Java cannot match those bits.
 *   <li>float16/bfloat16 {@code randn} (fp16 pipelines): a different, version-dependent path (older torch
 *       draws Half uniforms and computes in Half; PyTorch PR #179834 moves it to float and casts). Draw
 *       float32 and cast, which is what newer torch does.
 * </ul>
 *
 * <p><b>Differs completely</b>: CUDA generators ({@code torch.Generator("cuda")}). They use Philox4x32-10
 * with a different Box-Muller, and how elements map to Philox counters depends on the GPU's multiprocessor
 * count, so the same seed gives different noise on different GPU models (pytorch/pytorch#87992, #143086,
 * #196613). diffusers recommends CPU generators for reproducibility for this reason
 * ({@code docs/source/en/using-diffusers/reusing_seeds.md}; huggingface/diffusers PR #1906). MPS and other
 * devices have their own generators as well.
 *
 * <h2>Order of draws</h2>
 *
 * <p>A generator is a stream: the noise of a call depends on every earlier call on the same generator. As
 * in diffusers, a pipeline draws the initial latents, then a scheduler that adds noise per step (Euler
 * ancestral, SDE, DDIM with {@code eta > 0}, LCM) draws one latent-shaped tensor per step from the same
 * generator, in step order; with one generator per image each image's draws come from its own generator.
 * Any extra or reordered draw changes all later noise. Generators are not thread-safe.
 */
package dev.tempera.image.noise;
