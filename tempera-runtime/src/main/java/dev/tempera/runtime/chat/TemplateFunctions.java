package dev.tempera.runtime.chat;

import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * The two globals transformers adds to a chat template's environment, as static methods because Jinjava binds
 * template functions to static methods:
 * <ul>
 *   <li>{@code raise_exception(message)}: the template rejects the conversation. Jinjava records the failure and goes
 *       on rendering instead of stopping; {@link ChatTemplate} finds the {@link Raised} in the render's errors and
 *       throws {@link ChatTemplateException#raised}, so the caller sees the same failure as in Python.</li>
 *   <li>{@code strftime_now(format)}: the current local time formatted with Python's {@code strftime}
 *       ({@link Strftime}). "Now" is read from the rendering Jinjava's {@code DateTimeProvider} and time zone, which
 *       {@link ChatTemplate} sets from its {@link java.time.Clock}, so tests can fix the time.</li>
 * </ul>
 */
final class TemplateFunctions {

    private TemplateFunctions() {}

    /** Thrown by {@code raise_exception}; carries the template's message unchanged. */
    static final class Raised extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Raised(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code raise_exception(message)}: always throws. */
    public static Object raiseException(Object message) {
        throw new Raised(PythonStr.str(message));
    }

    /** {@code strftime_now(format)}. */
    public static String strftimeNow(Object format) {
        if (!(format instanceof String)) {
            throw new IllegalArgumentException("strftime_now(format) needs a string, but got: " + PythonStr.repr(format));
        }
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (interpreter == null) {
            throw new IllegalStateException("strftime_now called outside a render");
        }
        JinjavaConfig config = interpreter.getConfig();
        long millis = config.getDateTimeProvider().getCurrentTimeMillis();
        LocalDateTime now = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), config.getTimeZone());
        return Strftime.format(now, (String) format);
    }
}
