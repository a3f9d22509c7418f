package dev.tempera.runtime.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * How {@code {{ expression }}} is written: Python's {@code str()} of the value ({@link PythonStr}), nothing else.
 *
 * <p>Jinjava's default strategy would also re-render any value that contains {@code {{} or {@code {%} as a template
 * ("nested interpretation"): a user who types {@code {{ 7 * 7 }}} into a chat would get {@code 49} in the prompt, and
 * could reach the template's variables. Jinja never does that; neither does this strategy (and the environment turns
 * nested interpretation off as well). No HTML escaping either, as transformers' environment has no autoescape.
 */
final class PythonOutputStrategy implements ExpressionStrategy {

    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        return new RenderedOutputNode(PythonStr.str(value));
    }
}
