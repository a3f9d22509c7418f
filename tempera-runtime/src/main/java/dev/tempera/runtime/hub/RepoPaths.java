package dev.tempera.runtime.hub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Checks file paths inside a repo, maps them onto local folders and quotes them for URLs. */
final class RepoPaths {

    private static final String ALWAYS_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RepoPaths() {}

    /**
     * Fails unless {@code path} is a relative, {@code /}-separated path with no empty, {@code .} or {@code ..} part,
     * so that it can never point outside a snapshot folder.
     */
    static String check(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("\\")
                || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("file path must be relative to the repo root and '/'-separated "
                    + "(e.g. 'onnx/model.onnx'), but is: '" + path + "'");
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("file path must not have empty, '.' or '..' parts, but is: '" + path + "'");
            }
        }
        return path;
    }

    /** {@code base/a/b/c} for {@code a/b/c}, part by part (so the separator is the platform's). */
    static Path under(Path base, String path) {
        Path p = base;
        for (String part : check(path).split("/")) {
            p = p.resolve(part);
        }
        return p;
    }

    /** {@code path} relative to {@code base}, {@code /}-separated. */
    static String relative(Path base, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : base.relativize(file)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /**
     * Percent-encodes the UTF-8 bytes of {@code s} like Python's {@code urllib.parse.quote(s, safe)}: letters,
     * digits, {@code _.-~} and the characters in {@code safe} stay as they are.
     */
    static String quote(String s, String safe) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (ALWAYS_SAFE.indexOf(c) >= 0 || safe.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }
}
