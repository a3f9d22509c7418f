package dev.tempera.shapes.internal;

import java.util.ArrayList;
import java.util.List;

/** Connected components (8-connected) of a boolean mask, in raster order of their first pixel. */
public final class Components {

    private Components() {}

    /** Each component as the list of its pixel indices. */
    public static List<int[]> of(boolean[] mask, int width, int height) {
        int[] label = new int[mask.length];
        int[] queue = new int[mask.length];
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            int id = out.size() + 1;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            label[start] = id;
            while (head < tail) {
                int p = queue[head++];
                int px = p % width;
                int py = p / width;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= height) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        if (nx < 0 || nx >= width) {
                            continue;
                        }
                        int n = ny * width + nx;
                        if (mask[n] && label[n] == 0) {
                            label[n] = id;
                            queue[tail++] = n;
                        }
                    }
                }
            }
            int[] pixels = new int[tail];
            System.arraycopy(queue, 0, pixels, 0, tail);
            out.add(pixels);
        }
        return out;
    }

    /**
     * Grows the components by up to {@code steps} pixels (8-neighbour steps) into unlabelled pixels, all at once, so
     * each grown pixel goes to the nearest component. Returns the owner label per pixel (component index + 1, 0 =
     * none).
     */
    public static int[] grow(List<int[]> components, int width, int height, int steps) {
        int[] owner = new int[width * height];
        List<Integer> frontier = new ArrayList<>();
        for (int c = 0; c < components.size(); c++) {
            for (int p : components.get(c)) {
                owner[p] = c + 1;
                frontier.add(p);
            }
        }
        for (int s = 0; s < steps; s++) {
            List<Integer> next = new ArrayList<>();
            for (int p : frontier) {
                int px = p % width;
                int py = p / width;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx >= 0 && nx < width && ny >= 0 && ny < height && owner[ny * width + nx] == 0) {
                            owner[ny * width + nx] = owner[p];
                            next.add(ny * width + nx);
                        }
                    }
                }
            }
            frontier = next;
        }
        return owner;
    }
}
