package dev.rolloutlab.bench;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import java.util.SplittableRandom;

/**
 * Records synthetic requests as fast as one thread can and reports the heap they took: the recorder's memory must
 * grow with run time only. 10^8 requests at 10,000/s are 2.8 hours of run time; run with {@code -Xmx128m}.
 */
public final class RecorderBench {
    /** What one run of the benchmark measured. */
    public record Report(long requests, double runSeconds, double wallSeconds, long heapUsedBytes) {
        public double requestsPerSecond() {
            return requests / wallSeconds;
        }
    }

    private RecorderBench() {
    }

    public static Report run(long requests, double rate) {
        long spacing = Math.round(1e9 / rate);
        Recorder recorder = new Recorder(10_000_000L, 5, 100_000, 1 << 16, 3_000_000_000L);
        SplittableRandom random = new SplittableRandom(7);
        long start = System.nanoTime();
        for (long i = 0; i < requests; i++) {
            long t = i * spacing;
            boolean fail = random.nextInt(100) == 0;
            recorder.record(i, t, 1_000_000L + random.nextInt(5_000_000), fail ? Outcome.HTTP5XX : Outcome.SUCCESS,
                (i & 15) == 0 ? "v2" : "v1", random.nextInt(100_000));
        }
        recorder.finish(requests * spacing);
        double wall = (System.nanoTime() - start) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long used = rt.totalMemory() - rt.freeMemory();
        // Keep the recorder reachable until the heap was measured.
        if (recorder.requestsByVersion().isEmpty()) {
            throw new IllegalStateException("nothing recorded");
        }
        return new Report(requests, requests * spacing / 1e9, wall, used);
    }
}
