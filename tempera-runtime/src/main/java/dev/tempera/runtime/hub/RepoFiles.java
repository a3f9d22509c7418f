package dev.tempera.runtime.hub;

import java.util.List;
import java.util.Objects;

/**
 * The files of a repo at one commit, as the hub's API lists them.
 *
 * @param commit the 40-hex commit sha the revision resolved to
 * @param files the {@code /}-separated repo paths, in the hub's order
 */
public record RepoFiles(String commit, List<String> files) {

    public RepoFiles {
        Objects.requireNonNull(commit, "commit");
        if (!ModelRef.isCommit(commit)) {
            throw new IllegalArgumentException("commit must be 40 lowercase hex digits, but is: '" + commit + "'");
        }
        files = List.copyOf(files);
    }
}
