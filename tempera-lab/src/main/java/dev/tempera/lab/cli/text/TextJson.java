package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.sampling.TokenLogprob;
import dev.tempera.text.Completion;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.Prompt;
import dev.tempera.text.TokenLogprobs;

/** The JSON forms of prompts, parameters and results that {@code generate --json} and {@code describe --json} print. */
final class TextJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private TextJson() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ObjectNode prompt(Prompt p, boolean withIds) {
        ObjectNode o = object();
        o.put("tokens", p.ids().length);
        o.put("images", p.images());
        if (withIds) {
            ArrayNode ids = o.putArray("ids");
            for (int id : p.ids()) {
                ids.add(id);
            }
        }
        return o;
    }

    static ObjectNode params(SamplingParams params) {
        return MAPPER.valueToTree(params.toMap());
    }

    static ObjectNode completion(Completion c) {
        ObjectNode o = object();
        o.put("index", c.index());
        o.put("text", c.text());
        ArrayNode tokens = o.putArray("tokens");
        for (int t : c.tokens()) {
            tokens.add(t);
        }
        o.put("finish_reason", c.finishReason().id());
        o.put("stop_reason", c.stopReason());
        if (c.seed().isPresent()) {
            o.put("seed", c.seed().getAsLong());
        } else {
            o.putNull("seed");
        }
        o.put("decode_ms", c.decodeNanos() / 1e6);
        o.put("tokens_per_second", c.tokensPerSecond());
        if (!c.logprobs().isEmpty()) {
            ArrayNode lps = o.putArray("logprobs");
            for (TokenLogprobs lp : c.logprobs()) {
                ObjectNode x = lps.addObject();
                x.put("token", lp.token());
                x.put("text", lp.text());
                x.put("logprob", lp.logprob());
                x.put("processed_logprob", lp.processedLogprob());
                x.put("rank", lp.rank());
                ArrayNode top = x.putArray("top_logprobs");
                for (TokenLogprob t : lp.top()) {
                    top.addObject().put("token", t.token()).put("logprob", t.logprob());
                }
            }
        }
        return o;
    }

    static ObjectNode timings(GenerationResult r) {
        ObjectNode o = object();
        o.put("prefill_ms", r.prefillNanos() / 1e6);
        o.put("decode_ms", r.decodeNanos() / 1e6);
        o.put("prefill_tokens_per_second", r.prefillTokensPerSecond());
        o.put("decode_tokens_per_second", r.decodeTokensPerSecond());
        o.put("decode_onnxruntime_ms", r.decodeSessionNanos() / 1e6);
        o.put("decode_overhead", r.decodeOverhead());
        return o;
    }

    static ObjectNode result(GenerationResult r) {
        ObjectNode o = object();
        ArrayNode cs = o.putArray("completions");
        for (Completion c : r.completions()) {
            cs.add(completion(c));
        }
        o.set("timings", timings(r));
        return o;
    }
}
