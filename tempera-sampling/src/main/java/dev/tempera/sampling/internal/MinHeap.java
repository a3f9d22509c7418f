package dev.tempera.sampling.internal;

/** A binary min-heap over a prefix of a float array, for bounded top-k selection. */
final class MinHeap {

    private MinHeap() {}

    static void heapify(float[] h, int size) {
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(h, size, i);
        }
    }

    static void siftDown(float[] h, int size, int i) {
        float x = h[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && h[child + 1] < h[child]) {
                child++;
            }
            if (h[child] >= x) {
                break;
            }
            h[i] = h[child];
            i = child;
        }
        h[i] = x;
    }

    /** Offers x to a full heap of size k whose minimum is {@code root}; returns the new minimum. */
    static float offer(float[] heap, int k, float root, float x) {
        if (x > root) {
            heap[0] = x;
            siftDown(heap, k, 0);
            return heap[0];
        }
        return root;
    }
}
