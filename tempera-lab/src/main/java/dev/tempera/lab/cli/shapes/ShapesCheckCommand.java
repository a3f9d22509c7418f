package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.shapes.Attribute;
import dev.tempera.shapes.AttributeScore;
import dev.tempera.shapes.AttributeScorer;
import dev.tempera.shapes.AttributeType;
import dev.tempera.shapes.DatasetWriter;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.ImageCheck;
import dev.tempera.shapes.ImageChecker;
import dev.tempera.shapes.Prf;
import dev.tempera.shapes.TextParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tempera shapes check}: reads the scene in an image and, with {@code --prompt}, scores the prompt's attributes
 * against it. The image is the truth: precision is the share of the prompt's attributes the image has.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Read the Shapes-world scene in an image (or say unknown, with the reason). With --prompt,"
                + " print per-attribute precision / recall / F1 of the prompt against the image, hallucinated"
                + " attributes (stated but absent) and whether the image satisfies the prompt.",
        footer = {"", "Examples:",
            "  tempera shapes check x.png",
            "  tempera shapes check x.png --prompt \"a large red circle on a blue background\"",
            "  tempera shapes check x.png --prompt \"蓝色背景上有一个红色圆形\" --json"})
final class ShapesCheckCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image file (PNG, JPEG, BMP, GIF).")
    Path image;

    @Option(names = "--prompt", description = "Prompt (English or Chinese) to score the image against.")
    String prompt;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Description description = null;
        if (prompt != null) {
            try {
                description = TextParser.parse(prompt);
            } catch (IllegalArgumentException e) {
                throw Options.usage(spec, "--prompt: " + e.getMessage());
            }
        }
        ImageCheck check;
        try {
            check = ImageChecker.check(image);
        } catch (IllegalArgumentException e) {
            throw Options.usage(spec, "IMAGE: " + e.getMessage());
        }
        AttributeScore score = description != null && check.isKnown()
                ? AttributeScorer.score(check.scene().get(), description) : null;
        boolean satisfied = description != null && AttributeScorer.promptSatisfied(description, check);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(Options.JSON.writeValueAsString(toJson(check, description, score, satisfied)));
        } else {
            printText(o, check, description, score, satisfied);
        }
        o.flush();
        return 0;
    }

    private void printText(PrintWriter o, ImageCheck check, Description description, AttributeScore score,
                           boolean satisfied) {
        o.println("image: " + image);
        o.println("scene: " + check);
        if (description == null) {
            return;
        }
        o.println("prompt: " + prompt);
        o.println("prompt states: " + description);
        if (score != null) {
            o.printf("%-11s %9s %7s %6s%n", "attribute", "precision", "recall", "f1");
            for (AttributeType t : AttributeType.values()) {
                row(o, t.code(), score.byType().get(t));
            }
            row(o, "all", score.overall());
            o.println("hallucinated: " + list(score.hallucinated()));
            o.println("missing: " + list(score.missing()));
        }
        o.println("prompt satisfied: " + (satisfied ? "yes" : "no")
                + (check.isKnown() ? "" : " (the image is not a recognised scene)"));
    }

    private static void row(PrintWriter o, String name, Prf p) {
        o.printf(Locale.ROOT, "%-11s %9.2f %7.2f %6.2f%n", name, p.precision(), p.recall(), p.f1());
    }

    private static String list(List<Attribute> attributes) {
        return attributes.isEmpty() ? "none" : attributes.toString();
    }

    private ObjectNode toJson(ImageCheck check, Description description, AttributeScore score, boolean satisfied) {
        ObjectNode node = Options.JSON.createObjectNode();
        node.put("image", image.toString());
        node.put("known", check.isKnown());
        node.put("reason", check.reason());
        if (check.isKnown()) {
            node.set("scene", DatasetWriter.toJson(check.scene().get()));
        } else {
            node.putNull("scene");
        }
        if (description != null) {
            ObjectNode p = node.putObject("prompt");
            p.put("text", prompt);
            p.put("satisfied", satisfied);
            if (score != null) {
                p.set("all", prf(score.overall()));
                ObjectNode byType = p.putObject("byType");
                for (AttributeType t : AttributeType.values()) {
                    byType.set(t.code(), prf(score.byType().get(t)));
                }
                p.set("hallucinated", attributes(score.hallucinated()));
                p.set("missing", attributes(score.missing()));
            }
        }
        return node;
    }

    private static ObjectNode prf(Prf p) {
        ObjectNode n = Options.JSON.createObjectNode();
        n.put("precision", p.precision());
        n.put("recall", p.recall());
        n.put("f1", p.f1());
        n.put("matched", p.matched());
        n.put("stated", p.stated());
        n.put("present", p.present());
        return n;
    }

    private static ArrayNode attributes(List<Attribute> list) {
        ArrayNode a = Options.JSON.createArrayNode();
        for (Attribute at : list) {
            ObjectNode n = a.addObject();
            if (at.shape() >= 0) {
                n.put("shape", at.shape());
            }
            n.put("attribute", at.type().code());
            n.put("value", at.value());
        }
        return a;
    }
}
