package dev.tempera.runtime.onnx;

import dev.tempera.runtime.hub.FileSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Selects the {@code dtype} variant of some graphs in a repo's file list: {@code onnx/{base}{suffix}.onnx} when the
 * repo has it, else {@code {base}{suffix}.onnx} at the root, each with its external data chunks.
 */
final class OnnxGraphSelector implements FileSelector {

    private final OnnxDtype dtype;
    private final List<String> bases;

    OnnxGraphSelector(OnnxDtype dtype, List<String> bases) {
        this.dtype = dtype;
        this.bases = List.copyOf(bases);
    }

    @Override
    public List<String> select(Collection<String> available) {
        Set<String> have = Set.copyOf(available);
        List<String> out = new ArrayList<>();
        for (String base : bases) {
            String graph = locate(base, have);
            if (graph == null) {
                continue;
            }
            out.add(graph);
            String name = graph.substring(graph.lastIndexOf('/') + 1);
            String folder = graph.substring(0, graph.length() - name.length());
            for (String path : available) {
                if (path.startsWith(folder) && path.indexOf('/', folder.length()) < 0
                        && OnnxFiles.chunkIndex(name, path.substring(folder.length())) >= 0) {
                    out.add(path);
                }
            }
        }
        return out;
    }

    @Override
    public List<String> missing(Collection<String> present) {
        Set<String> have = Set.copyOf(present);
        List<String> out = new ArrayList<>();
        for (String base : bases) {
            if (locate(base, have) == null) {
                out.add(OnnxFiles.SUBFOLDER + "/" + dtype.fileName(base));
            }
        }
        return out;
    }

    @Override
    public String explain(String missingPath, Collection<String> available) {
        for (String base : bases) {
            if (missingPath.equals(OnnxFiles.SUBFOLDER + "/" + dtype.fileName(base))) {
                List<String> graphs = new ArrayList<>();
                for (String path : available) {
                    if (path.indexOf('/') < 0 || path.startsWith(OnnxFiles.SUBFOLDER + "/")
                            && path.indexOf('/', OnnxFiles.SUBFOLDER.length() + 1) < 0) {
                        graphs.add(path);
                    }
                }
                return "no " + dtype.id() + " variant of " + base + " (nor " + dtype.fileName(base) + " at the root); found: "
                        + OnnxFiles.describe(OnnxFiles.variantsIn(base, graphs));
            }
        }
        return "";
    }

    private String locate(String base, Set<String> have) {
        String nested = OnnxFiles.SUBFOLDER + "/" + dtype.fileName(base);
        if (have.contains(nested)) {
            return nested;
        }
        return have.contains(dtype.fileName(base)) ? dtype.fileName(base) : null;
    }

    @Override
    public String toString() {
        return "onnx graphs " + bases + " in " + dtype.id();
    }
}
