package dev.tempera.runtime.chat;

import java.beans.FeatureDescriptor;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;

/**
 * Gives strings and dicts in a template the Python methods chat templates call, ahead of Jinjava's own resolution
 * (which would call Java's methods: {@code "x".strip()} would run {@link String#strip()} with Java's idea of
 * whitespace, and {@code "x".startswith("a")} would not exist).
 *
 * <p>On a string, every method call is answered here: the Python {@code str} methods in {@link #invokeOnString}
 * follow {@link PythonStrings}; any other name fails with {@code 'str' object has no attribute 'name'}, as in the
 * sandboxed Jinja2 transformers uses, instead of reaching a Java method. On a dict, {@code get(key, default)} is added
 * (Jinjava's dicts only have the one-argument {@code get}); other dict methods ({@code items()}, {@code keys()},
 * {@code values()}) are Jinjava's. Property reads are never resolved here. Stateless and thread-safe.
 */
final class PythonMethodResolver extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        if (base instanceof String) {
            Object result = invokeOnString((String) base, method.toString(), args);
            context.setPropertyResolved(true);
            return result;
        }
        if (base instanceof Map<?, ?> && "get".equals(method.toString()) && args.length == 2) {
            Map<?, ?> map = (Map<?, ?>) base;
            context.setPropertyResolved(true);
            return map.containsKey(args[0]) ? map.get(args[0]) : args[1];
        }
        return null;
    }

    private static Object invokeOnString(String s, String name, Object[] a) {
        switch (name) {
            case "strip":
                arity(name, a, 0, 1);
                return PythonStrings.strip(s, optionalString(name, a, 0));
            case "lstrip":
                arity(name, a, 0, 1);
                return PythonStrings.lstrip(s, optionalString(name, a, 0));
            case "rstrip":
                arity(name, a, 0, 1);
                return PythonStrings.rstrip(s, optionalString(name, a, 0));
            case "split":
                arity(name, a, 0, 2);
                return PythonStrings.split(s, optionalString(name, a, 0), optionalInt(name, a, 1, -1));
            case "rsplit":
                arity(name, a, 0, 2);
                return PythonStrings.rsplit(s, optionalString(name, a, 0), optionalInt(name, a, 1, -1));
            case "splitlines":
                arity(name, a, 0, 0);
                return PythonStrings.splitlines(s);
            case "startswith":
                arity(name, a, 1, 1);
                return affixes(name, a[0]).stream().anyMatch(s::startsWith);
            case "endswith":
                arity(name, a, 1, 1);
                return affixes(name, a[0]).stream().anyMatch(s::endsWith);
            case "replace":
                arity(name, a, 2, 3);
                return PythonStrings.replace(s, string(name, a[0]), string(name, a[1]), optionalInt(name, a, 2, -1));
            case "upper":
                arity(name, a, 0, 0);
                return PythonStrings.upper(s);
            case "lower":
                arity(name, a, 0, 0);
                return PythonStrings.lower(s);
            case "title":
                arity(name, a, 0, 0);
                return PythonStrings.title(s);
            case "capitalize":
                arity(name, a, 0, 0);
                return PythonStrings.capitalize(s);
            case "find":
                arity(name, a, 1, 1);
                return PythonStrings.find(s, string(name, a[0]));
            case "rfind":
                arity(name, a, 1, 1);
                return PythonStrings.rfind(s, string(name, a[0]));
            case "count":
                arity(name, a, 1, 1);
                return PythonStrings.count(s, string(name, a[0]));
            case "join":
                arity(name, a, 1, 1);
                return join(s, a[0]);
            case "isspace":
                arity(name, a, 0, 0);
                return !s.isEmpty() && s.codePoints().allMatch(PythonStrings::isSpace);
            case "isdigit":
                arity(name, a, 0, 0);
                return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha":
                arity(name, a, 0, 0);
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            default:
                throw new ELException("'str' object has no attribute '" + name + "'");
        }
    }

    private static String join(String separator, Object items) {
        if (!(items instanceof Collection<?>)) {
            throw new ELException("str.join() needs a list of strings, but got: " + PythonStr.repr(items));
        }
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Object item : (Collection<?>) items) {
            if (!(item instanceof String)) {
                throw new ELException("str.join() needs a list of strings, but an item is: " + PythonStr.repr(item));
            }
            if (!first) {
                out.append(separator);
            }
            first = false;
            out.append(item);
        }
        return out.toString();
    }

    /** A prefix for startswith/endswith: a string, or a tuple (list) of strings. */
    private static List<String> affixes(String name, Object arg) {
        if (arg instanceof String) {
            return List.of((String) arg);
        }
        if (arg instanceof Collection<?>) {
            for (Object o : (Collection<?>) arg) {
                if (!(o instanceof String)) {
                    throw new ELException(name + "() tuple items must be strings, but one is: " + PythonStr.repr(o));
                }
            }
            @SuppressWarnings("unchecked")
            List<String> list = List.copyOf((Collection<String>) arg);
            return list;
        }
        throw new ELException(name + "() needs a string or a tuple of strings, but got: " + PythonStr.repr(arg));
    }

    private static void arity(String name, Object[] a, int min, int max) {
        if (a.length < min || a.length > max) {
            String expected = min == max ? Integer.toString(min) : min + " to " + max;
            throw new ELException("str." + name + "() takes " + expected + " arguments, but got: " + a.length);
        }
    }

    private static String string(String name, Object arg) {
        if (!(arg instanceof String)) {
            throw new ELException("str." + name + "() needs a string argument, but got: " + PythonStr.repr(arg));
        }
        return (String) arg;
    }

    private static String optionalString(String name, Object[] a, int index) {
        return a.length > index && a[index] != null ? string(name, a[index]) : null;
    }

    private static int optionalInt(String name, Object[] a, int index, int fallback) {
        if (a.length <= index || a[index] == null) {
            return fallback;
        }
        if (!(a[index] instanceof Number)) {
            throw new ELException("str." + name + "() needs an integer argument, but got: " + PythonStr.repr(a[index]));
        }
        return ((Number) a[index]).intValue();
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // never resolves writes
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
