package dev.rolloutlab.measure;

/**
 * One counter per time bucket, stored in fixed chunks allocated as time advances: memory grows with the run's
 * length (4 bytes per bucket), never with its request count.
 */
final class IntColumn {
    private static final int CHUNK_BITS = 10;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private int[][] chunks = new int[8][];

    void add(int bucket) {
        int c = bucket >>> CHUNK_BITS;
        if (c >= chunks.length) {
            chunks = java.util.Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
        }
        int[] chunk = chunks[c];
        if (chunk == null) {
            chunk = chunks[c] = new int[CHUNK];
        }
        chunk[bucket & (CHUNK - 1)]++;
    }

    int get(int bucket) {
        int c = bucket >>> CHUNK_BITS;
        if (bucket < 0 || c >= chunks.length || chunks[c] == null) {
            return 0;
        }
        return chunks[c][bucket & (CHUNK - 1)];
    }
}
