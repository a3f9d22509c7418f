package dev.tempera.lab.cli.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.eval.Creativity;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The output of the eval commands, mixed in with {@code @Mixin}: tables by default, one indented JSON object with
 * {@code --json}; and the JSON form of what both commands report. {@code --json} has {@code order} 99, so it stays
 * last in {@code --help}.
 */
final class JsonOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", order = 99, description = "Print one JSON object instead of the table.")
    boolean json;

    /** Prints the JSON object or the tables on {@code out}, building only the one chosen, then flushes. */
    void print(PrintWriter out, Supplier<ObjectNode> jsonObject, Consumer<PrintWriter> tables)
            throws JsonProcessingException {
        if (json) {
            out.println(JSON.writeValueAsString(jsonObject.get()));
        } else {
            tables.accept(out);
        }
        out.flush();
    }

    /** A new, empty JSON object. */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Creativity with its two factors: {@code score, meanAlignment, vendi, outputs, perOutput}. */
    static ObjectNode creativity(Creativity c) {
        ObjectNode o = object();
        o.put("score", c.score());
        o.put("meanAlignment", c.meanAlignment());
        o.put("vendi", c.vendi());
        o.put("outputs", c.outputs());
        o.put("perOutput", c.perOutput());
        return o;
    }
}
