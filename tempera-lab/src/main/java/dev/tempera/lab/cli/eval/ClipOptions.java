package dev.tempera.lab.cli.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.align.ClipScoreOptions;
import dev.tempera.eval.align.LongTextPolicy;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The CLIP options of the eval commands, mixed in with {@code @Mixin}: {@code --clip} (the model folder; the bundled
 * shapes-clip when absent) and {@code --clip-prefix}, and what both commands do with them: find the folder, open the
 * model (exit 2 naming --clip when it cannot), build the CLIPScore options, and record the settings in the JSON.
 *
 * <p>The commands put the prefix before different texts (the prompt; every output), so {@code --clip-prefix} is
 * declared by one subclass per command, whose help says which: {@link BeforePrompt}, {@link BeforeOutputs}. Both
 * options keep {@code order} 2 and 3, where the commands' own options leave room for them in {@code --help}.
 */
abstract class ClipOptions {

    /** Said under the table when --clip is absent ({@code eval images} ends it with a full stop). */
    static final String BUNDLED_NOTE =
            "CLIP: the bundled shapes-clip knows only the Shapes world; pass --clip for real images";

    @Spec(Spec.Target.MIXEE) CommandLine.Model.CommandSpec mixee;

    @Option(names = "--clip", paramLabel = "DIR", order = 2,
            description = "CLIP model folder (transformers.js or Optimum layout). Default: the bundled"
                    + " models/shapes-clip, which knows only the Shapes world.")
    Path dir;

    /** The --clip-prefix value; empty when not given. */
    abstract String prefix();

    /** Whether --clip is absent, so the bundled shapes-clip is used. */
    boolean bundled() {
        return dir == null;
    }

    /**
     * The model folder: --clip, checked for a CLIP layout, else the bundled shapes-clip.
     *
     * @param missing what to say when there is no --clip and no bundled model
     * @throws IllegalArgumentException naming --clip, what it must hold and what it is (the caller makes it exit 2)
     */
    Path folder(String missing) {
        return BundledModels.clipFolder(dir, missing);
    }

    /** Loads the model in {@code dir} (from {@link #folder}); a folder ONNX Runtime rejects exits 2 naming --clip. */
    ClipModel open(Path dir) {
        try {
            return ClipModel.load(dir);
        } catch (IllegalArgumentException e) {
            throw Usage.error(mixee, "--clip: " + e.getMessage());
        }
    }

    /** Hessel's weight, this prefix, and {@code longText} for texts over CLIP's window. */
    ClipScoreOptions scoreOptions(LongTextPolicy longText) {
        return new ClipScoreOptions(ClipScoreOptions.HESSEL_WEIGHT, prefix(), longText);
    }

    /** Puts {@code clip} (the folder as shown), {@code clipWeight} and {@code clipPrefix} into {@code node}. */
    void putSettings(ObjectNode node, Path dir) {
        node.put("clip", BundledModels.shown(dir));
        node.put("clipWeight", ClipScoreOptions.HESSEL_WEIGHT);
        node.put("clipPrefix", prefix());
    }

    /** {@code eval images}: the prefix goes before the prompt. */
    static final class BeforePrompt extends ClipOptions {

        @Option(names = "--clip-prefix", paramLabel = "TEXT", order = 3, defaultValue = "",
                showDefaultValue = CommandLine.Help.Visibility.NEVER,
                description = "Text put before the prompt for CLIP (none by default); Hessel's reference uses"
                        + " \"A photo depicts \".")
        String prefix;

        @Override
        String prefix() {
            return prefix;
        }
    }

    /** {@code eval text}: the prefix goes before every output. */
    static final class BeforeOutputs extends ClipOptions {

        @Option(names = "--clip-prefix", paramLabel = "TEXT", order = 3, defaultValue = "",
                showDefaultValue = CommandLine.Help.Visibility.NEVER,
                description = "Text put before every output for CLIP (none by default); Hessel's reference uses"
                        + " \"A photo depicts \".")
        String prefix;

        @Override
        String prefix() {
            return prefix;
        }
    }
}
