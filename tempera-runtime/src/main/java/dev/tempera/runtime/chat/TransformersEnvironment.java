package dev.tempera.runtime.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaELContext;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreterFactory;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.de.odysseus.el.tree.TreeBuilderException;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELException;

/**
 * A Jinjava set up to render chat templates the way transformers' Jinja2 environment does
 * ({@code utils/chat_template_utils.py}, {@code _compile_jinja_template}):
 * <ol>
 *   <li>whitespace: trim_blocks and lstrip_blocks, applied by {@link JinjaWhitespace} before Jinjava sees the
 *       template (Jinjava's own switches stay off);</li>
 *   <li>loop controls: {@code {% break %}} and {@code {% continue %}} (Jinjava has them built in);</li>
 *   <li>{@code tojson} as {@code json.dumps} ({@link ToJsonFilter}), {@code trim} with Python's whitespace
 *       ({@link TrimFilter}), {@code length} counting code points ({@link LengthFilter});</li>
 *   <li>globals {@code raise_exception} and {@code strftime_now} ({@link TemplateFunctions});</li>
 *   <li>Python {@code str} methods and {@code dict.get(key, default)} ({@link PythonMethodResolver});</li>
 *   <li>values printed as Python's {@code str()}, never re-rendered ({@link PythonOutputStrategy});</li>
 *   <li>Jinja 3 semantics where Jinjava has a legacy switch: dict-literal keys are expressions, a for loop over a
 *       dict yields its keys, {@code none} items in a loop are kept. Jinjava's "natural operator precedence" stays
 *       off: it makes {@code not x is defined} mean {@code (not x) is defined}, which breaks Llama's
 *       {@code {% if not date_string is defined %}}.</li>
 * </ol>
 * Undefined variables are empty, as Jinja's default {@code Undefined}. {@code namespace()}, {@code loop.*},
 * {@code is string}/{@code is mapping} and {@code in} on dicts are Jinjava's own and behave as in Jinja.
 *
 * <p>Thread safety: a Jinjava resets its global context after every render, so one instance must not render on two
 * threads at once; {@link ChatTemplate} serialises its renders.
 */
final class TransformersEnvironment {

    /** {@code if x}, {@code elif x}: the whole helper is one expression. */
    private static final Pattern CONDITION_TAGS = Pattern.compile("if|elif|elseif|do|print");
    /** {@code for a, b in <expr>}. */
    private static final Pattern FOR_HELPER = Pattern.compile("^\\s*[\\w\\s,()]+?\\s+in\\s+(.+)$", Pattern.DOTALL);
    /** {@code for x in xs if cond}: an {@code if} after the iterable and no {@code else} (a conditional expression). */
    private static final Pattern LOOP_FILTER = Pattern.compile("^(?!.*\\selse\\s).*\\sin\\s.+\\sif\\s.+$", Pattern.DOTALL);
    /** {@code set a.b = <expr>}, not {@code ==}. */
    private static final Pattern SET_HELPER = Pattern.compile("^\\s*[\\w.\\s,]+?=(?!=)(.+)$", Pattern.DOTALL);

    private TransformersEnvironment() {}

    /** A new Jinjava configured as above; {@code strftime_now} reads {@code clock}, in the clock's zone. */
    static Jinjava create(Clock clock) {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withFailOnUnknownTokens(false)
                .withElResolver(resolver)
                .withDateTimeProvider(clock::millis)
                .withInterperterFactory(new PythonInterpreterFactory())
                .withTimeZone(clock.getZone())
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        Context globals = jinjava.getGlobalContext();
        globals.registerFilter(new ToJsonFilter());
        globals.registerFilter(new TrimFilter());
        globals.registerFilter(new LengthFilter("length"));
        globals.registerFilter(new LengthFilter("count"));
        globals.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class,
                "raiseException", Object.class));
        globals.registerFunction(new ELFunctionDefinition("", "strftime_now", TemplateFunctions.class,
                "strftimeNow", Object.class));
        return jinjava;
    }

    /**
     * Installs {@link PythonOutputStrategy} on each render's context. (Setting it on Jinjava's global context has no
     * effect: every render starts from a copy of the global context that does not carry the strategy over.)
     */
    private static final class PythonInterpreterFactory extends JinjavaInterpreterFactory {

        private static final PythonOutputStrategy OUTPUT = new PythonOutputStrategy();

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            context.setExpressionStrategy(OUTPUT);
            return super.newInstance(application, context, renderConfig);
        }
    }

    /**
     * Parses {@code template} (already through {@link JinjaWhitespace}) and every expression in it, without
     * rendering, so that a broken template fails when it is loaded rather than on the first chat.
     *
     * @return the problems found, each as {@code line N: message}; empty when the template parses
     */
    static List<String> syntaxErrors(Jinjava jinjava, String template) {
        List<String> problems = new ArrayList<>();
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Node root = interpreter.parse(template);
            for (TemplateError e : interpreter.getErrors()) {
                problems.add("line " + e.getLineno() + ": " + e.getMessage()
                        + (e.getFieldName() == null || e.getFieldName().isEmpty() ? "" : " (" + e.getFieldName() + ")"));
            }
            JinjavaELContext elContext = new JinjavaELContext(interpreter, new JinjavaInterpreterResolver(interpreter));
            for (ELFunctionDefinition fn : jinjava.getGlobalContext().getAllFunctions()) {
                elContext.setFunction(fn.getNamespace(), fn.getLocalName(), fn.getMethod());
            }
            checkExpressions(jinjava, elContext, root, problems);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        return problems;
    }

    private static void checkExpressions(Jinjava jinjava, JinjavaELContext elContext, Node node, List<String> problems) {
        if (node instanceof TagNode && "for".equals(((TagNode) node).getName())
                && LOOP_FILTER.matcher(((TagNode) node).getHelpers()).matches()) {
            // Jinjava accepts "for x in xs if cond" but silently renders no iteration at all
            problems.add("line " + node.getLineNumber() + ": loop filters ('{% for x in xs if cond %}') are not "
                    + "supported; use {% for x in xs %}{% if cond %}...{% endif %}{% endfor %} (note: loop.index "
                    + "then counts every item)");
        }
        String expression = null;
        if (node instanceof ExpressionNode) {
            expression = ((ExpressionToken) node.getMaster()).getExpr();
        } else if (node instanceof TagNode) {
            expression = tagExpression((TagNode) node);
        }
        if (expression != null && !expression.isBlank()) {
            try {
                jinjava.getExpressionFactory().createValueExpression(elContext, "#{" + expression.strip() + "}",
                        Object.class);
            } catch (TreeBuilderException e) {
                problems.add("line " + node.getLineNumber() + ": cannot parse '" + expression.strip() + "': "
                        + e.getMessage());
            } catch (ELException e) {
                // parsed, but not bindable without a render (an unknown function, a macro): left to the render
            }
        }
        for (Node child : node.getChildren()) {
            checkExpressions(jinjava, elContext, child, problems);
        }
    }

    /** The expression part of a tag whose syntax is known; null for others (macro, call, raw…). */
    private static String tagExpression(TagNode tag) {
        String name = tag.getName();
        String helpers = tag.getHelpers();
        if (helpers == null) {
            return null;
        }
        if (CONDITION_TAGS.matcher(name).matches()) {
            return helpers;
        }
        Pattern syntax;
        if ("for".equals(name) && !helpers.contains(" if ") && !helpers.contains(" recursive")) {
            syntax = FOR_HELPER;
        } else if ("set".equals(name)) {
            syntax = SET_HELPER;
        } else {
            return null;
        }
        Matcher m = syntax.matcher(helpers);
        return m.matches() ? m.group(1) : null;
    }
}
