package dev.tempera.runtime.hub;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model on the Hugging Face hub: a repo id {@code org/name} and a revision (a branch, a tag, {@code refs/pr/N} or
 * a 40-hex commit sha; {@code main} when not given).
 *
 * <p>Ids follow the hub's rules: two parts of letters, digits, {@code -}, {@code _} and {@code .}, each starting and
 * ending with a letter, digit or {@code _}; no {@code --} or {@code ..}; not ending in {@code .git}; at most 96
 * characters. Ids without an organisation ({@code gpt2}) are not accepted, so that a mistyped folder name is never
 * mistaken for a model to download.
 *
 * <pre>{@code
 * ModelRef ref = ModelRef.parse("onnx-community/Qwen2-VL-2B-Instruct@refs/pr/1");
 * }</pre>
 *
 * @param repoId {@code org/name}
 * @param revision branch, tag, {@code refs/...} name or commit sha
 */
public record ModelRef(String repoId, String revision) {

    /** The revision used when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_ID_LENGTH = 96;

    public ModelRef {
        Objects.requireNonNull(repoId, "repoId");
        Objects.requireNonNull(revision, "revision");
        String problem = idProblem(repoId);
        if (problem != null) {
            throw new IllegalArgumentException("repoId must be 'org/name' with letters, digits, '-', '_' and '.' (" + problem
                    + "), but is: '" + repoId + "'");
        }
        if (revision.isEmpty() || revision.chars().anyMatch(c -> c <= ' ' || c == '\\' || c == 0x7f)
                || revision.startsWith("/") || revision.endsWith("/") || ("/" + revision + "/").contains("/../")
                || ("/" + revision + "/").contains("/./") || revision.contains("//")) {
            throw new IllegalArgumentException("revision must be a branch, tag, refs/... name or commit sha without spaces, "
                    + "backslashes or '.'/'..' parts, but is: '" + revision + "'");
        }
    }

    /** {@code repoId} at {@link #DEFAULT_REVISION}. */
    public static ModelRef of(String repoId) {
        return new ModelRef(repoId, DEFAULT_REVISION);
    }

    /**
     * Parses {@code org/name} or {@code org/name@revision} (the revision may contain {@code /}).
     *
     * @throws IllegalArgumentException naming what is wrong with the id or the revision
     */
    public static ModelRef parse(String text) {
        Objects.requireNonNull(text, "text");
        int at = text.indexOf('@');
        return at < 0 ? of(text) : new ModelRef(text.substring(0, at), text.substring(at + 1));
    }

    /** {@link #parse} that returns empty instead of throwing. */
    public static Optional<ModelRef> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code revision} is a full 40-hex commit sha (then nothing about it can change on the hub). */
    public static boolean isCommit(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** Whether this ref names a commit rather than a branch or tag. */
    public boolean pinned() {
        return isCommit(revision);
    }

    /** The same repo at another revision. */
    public ModelRef at(String otherRevision) {
        return new ModelRef(repoId, otherRevision);
    }

    /** The cache folder name, {@code models--org--name}. */
    public String cacheFolderName() {
        return "models--" + repoId.replace("/", "--");
    }

    @Override
    public String toString() {
        return DEFAULT_REVISION.equals(revision) ? repoId : repoId + "@" + revision;
    }

    private static String idProblem(String id) {
        if (id.length() > MAX_ID_LENGTH) {
            return "at most " + MAX_ID_LENGTH + " characters";
        }
        int slash = id.indexOf('/');
        if (slash < 0 || id.indexOf('/', slash + 1) >= 0) {
            return "exactly one '/'";
        }
        if (!PART.matcher(id.substring(0, slash)).matches() || !PART.matcher(id.substring(slash + 1)).matches()) {
            return "each part starting and ending with a letter, digit or '_'";
        }
        if (id.contains("--") || id.contains("..")) {
            return "no '--' or '..'";
        }
        if (id.endsWith(".git")) {
            return "not ending in '.git'";
        }
        return null;
    }
}
