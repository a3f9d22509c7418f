package dev.tempera.lab.cli.text;

import dev.tempera.runtime.image.ImageLoader;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.runtime.onnx.GraphOptimization;
import dev.tempera.runtime.onnx.OnnxDevice;
import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.text.LocalEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --threads} and {@code --max-images} of {@code generate} and {@code describe}. */
public final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR|ID", order = 1,
            description = "Model folder (e.g. models/shapes-vl), or a Hugging Face id (org/name[@revision]) "
                    + "resolved in the local Hugging Face cache and downloaded when missing.")
    String model;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "DTYPE", order = 59,
            description = "Graph variant to load: fp32, fp16, q8, q4, q4f16, ... (transformers.js file suffixes).")
    String dtype;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE", order = 60,
            description = "cpu, or cuda[:N] (needs the onnxruntime_gpu artifact and a CUDA machine).")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", order = 60,
            description = "ONNX Runtime threads per session (0 = its default: one per core).")
    int threads;

    @Option(names = "--graph-optimization", defaultValue = "all", paramLabel = "LEVEL", order = 60,
            description = "ONNX Runtime graph optimisation: disable, basic, extended, all.")
    String optimization;

    @Option(names = "--max-images", defaultValue = "10", paramLabel = "N", order = 61,
            description = "Most images one prompt may hold (vLLM's limit_mm_per_prompt).")
    int maxImages;

    @Option(names = "--max-image-pixels", defaultValue = "50000000", paramLabel = "N", order = 62,
            description = "Refuse images with more pixels than this (checked before decoding).")
    long maxImagePixels;

    LocalEngine open(CommandLine.Model.CommandSpec spec) {
        if (threads < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads must be >= 0 (0 = ONNX Runtime's default), but is: " + threads);
        }
        if (maxImages < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-images must be >= 0, but is: " + maxImages);
        }
        OnnxDtype d;
        OnnxDevice dev;
        try {
            d = OnnxDtype.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dtype: " + e.getMessage());
        }
        try {
            dev = OnnxDevice.parse(device);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--device: " + e.getMessage());
        }
        GraphOptimization level;
        try {
            level = GraphOptimization.parse(optimization);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--graph-optimization: " + e.getMessage());
        }
        LocalEngine.Options options = LocalEngine.Options.defaults()
                .withSession(SessionSettings.defaults().withIntraOpThreads(threads).withDevice(dev)
                        .withOptimization(level))
                .withDtype(d).withMaxImagesPerPrompt(maxImages);
        return LocalEngine.open(ModelLocation.resolve(model, d), options);
    }

    /** Reads the images, checking the count against --max-images before decoding any of them. */
    List<RgbPixels> images(CommandLine.Model.CommandSpec spec, List<Path> files) {
        if (files.size() > maxImages) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--image: at most --max-images = "
                    + maxImages + " images per prompt, but " + files.size() + " were given");
        }
        ImageLoader loader = new ImageLoader(dev.tempera.runtime.image.ImageLimits.defaults()
                .withMaxPixels(maxImagePixels));
        List<RgbPixels> out = new ArrayList<>();
        for (Path f : files) {
            out.add(loader.load(f));
        }
        return out;
    }
}
