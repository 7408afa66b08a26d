package dev.rolloutlab.measure;

import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Records every request of a run in constant memory per unit of run time: counters per bucket (default 10 ms)
 * by served version × outcome, latency histograms per second of intended send time, of all requests and of each
 * served version (summarised when the second is complete), a streaming outage tracker fed in intended-send order, and
 * bitsets of the users seen and affected during the rollout and from its start to the end of the run. Nothing is
 * stored per request. For live analysis it also keeps, per served version, the latency of successful requests
 * completed since the analysis last took it ({@link #takeLatency}), and per kind of request of the generator's mix
 * its counts and latency over the whole run ({@link #byRequestName}).
 *
 * <p>Times are nanoseconds since load start, of the request's intended send time. Thread-safe.
 */
public final class Recorder {
    /** The default of {@code outage.chance}: a run of failures with p^k above it could be chance. */
    public static final double DEFAULT_OUTAGE_CHANCE = 1e-9;
    /** The one kind of a load without a request mix. */
    public static final String DEFAULT_REQUEST_NAME = "default";
    /** Kinds of request a mix may have: each costs a histogram for the whole run. */
    public static final int MAX_REQUEST_NAMES = ByRequestName.MAX;
    private static final long SECOND = 1_000_000_000L;

    private final long bucketNanos;
    private final int bucketsPerSecond;
    private final Versions versions = new Versions();
    private final IntColumn[] ok = new IntColumn[Versions.MAX];
    private final IntColumn[] failed = new IntColumn[Versions.MAX];
    /** Failures that reached no version, by the version the proxy routed them to. */
    private final IntColumn[] routedFailed = new IntColumn[Versions.MAX];
    private final IntColumn[] causes = new IntColumn[Outcome.values().length];
    private final long[] outcomeTotals = new long[Outcome.values().length];
    private final IntColumn[] limited = new IntColumn[LimitCause.values().length];
    private final long[] limitedTotals = new long[LimitCause.values().length];
    private int lastBucket = -1;

    private final OutageTracker outages;
    private final InOrderStream inOrder;
    private long watermark;

    private final long maxTrackableMicros;
    private final Histogram[] openSeconds;
    private int firstOpenSecond;
    private final Histogram total;
    private final SecondLatencies perSecond = new SecondLatencies();
    /**
     * By version id, created at the version's first success: the same per-second histograms and summaries as above,
     * for that version's requests alone (so a candidate's latency shows beside the stable's). Memory: the open
     * seconds' histograms and four floats a second per version that succeeded.
     */
    private final Histogram[][] openSecondsByVersion = new Histogram[Versions.MAX][];
    private final SecondLatencies[] perSecondByVersion = new SecondLatencies[Versions.MAX];
    /** By version id: the summarised seconds added up, one histogram per version however long the run. */
    private final Histogram[] totalByVersion = new Histogram[Versions.MAX];
    /** By version id, created at the version's first success: two histograms each, however long the run. */
    private final RecentLatency[] recentLatency = new RecentLatency[Versions.MAX];

    private final ByRequestName byName;

    private final int users;
    private final BitSet usersInRollout;
    private final BitSet usersFailedInRollout;
    /** From rollout start to the end of the run, whatever the rollout did meanwhile. */
    private final BitSet usersExposed;
    private final BitSet usersFailedExposed;
    private long rolloutStart = Long.MAX_VALUE;
    private long rolloutEnd = Long.MAX_VALUE;
    private long firstFailureInRollout = -1;

    /** A recorder with the default {@link #DEFAULT_OUTAGE_CHANCE}. */
    public Recorder(long bucketNanos, int minOutageFailures, int users, int inFlightCapacity, long maxLatencyNanos) {
        this(bucketNanos, minOutageFailures, DEFAULT_OUTAGE_CHANCE, users, inFlightCapacity, maxLatencyNanos);
    }

    /**
     * @param outageChance     a run of k failures amid a failure ratio p is a full outage only when p^k is below it
     * @param inFlightCapacity requests that may be in flight at once (rate × (timeout + slack)); completions further
     *                         apart than this in sequence are not waited for when ordering outcomes
     * @param maxLatencyNanos  the largest latency tracked exactly; larger ones are recorded as this value
     */
    public Recorder(long bucketNanos, int minOutageFailures, double outageChance, int users, int inFlightCapacity,
                    long maxLatencyNanos) {
        this(bucketNanos, minOutageFailures, outageChance, users, inFlightCapacity, maxLatencyNanos,
            List.of(DEFAULT_REQUEST_NAME));
    }

    /**
     * @param requestNames the names of the generator's kinds of request, by kind index (1 to 20)
     */
    public Recorder(long bucketNanos, int minOutageFailures, double outageChance, int users, int inFlightCapacity,
                    long maxLatencyNanos, List<String> requestNames) {
        if (bucketNanos <= 0 || SECOND % bucketNanos != 0) {
            throw new IllegalArgumentException("bucket must divide one second, got " + bucketNanos + " ns");
        }
        this.bucketNanos = bucketNanos;
        this.bucketsPerSecond = (int) (SECOND / bucketNanos);
        this.outages = new OutageTracker(minOutageFailures, outageChance, bucketNanos, this::serviceCounts);
        this.inOrder = new InOrderStream(inFlightCapacity, this::inOrder);
        this.maxTrackableMicros = Math.max(1000, maxLatencyNanos / 1000);
        this.total = new Histogram(maxTrackableMicros, 3);
        this.byName = new ByRequestName(requestNames, maxTrackableMicros);
        // Requests of a second finish at most about maxLatency later, so that many seconds stay open at once.
        this.openSeconds = new Histogram[(int) (maxLatencyNanos / SECOND) + 3];
        this.users = Math.max(1, users);
        this.usersInRollout = new BitSet(this.users);
        this.usersFailedInRollout = new BitSet(this.users);
        this.usersExposed = new BitSet(this.users);
        this.usersFailedExposed = new BitSet(this.users);
    }

    /** Records a request that got an answer or failed; {@code version} is the served version header, or null. */
    public void record(long seq, long intendedNanos, long latencyNanos, Outcome outcome, String version, int user) {
        record(seq, intendedNanos, latencyNanos, outcome, version, null, user);
    }

    /**
     * Records a request that got an answer or failed. {@code version} is the version that served it, or null;
     * {@code routedVersion} the version a proxy routed it to when the proxy answered it itself (a failure that reached
     * no replica), as a mesh labels its own responses with their destination; null when unknown.
     */
    public void record(long seq, long intendedNanos, long latencyNanos, Outcome outcome, String version,
                       String routedVersion, int user) {
        record(seq, intendedNanos, latencyNanos, outcome, version, routedVersion, user, 0);
    }

    /** {@link #record(long, long, long, Outcome, String, String, int)} of a request of kind {@code kind} of the mix. */
    public synchronized void record(long seq, long intendedNanos, long latencyNanos, Outcome outcome, String version,
                                    String routedVersion, int user, int kind) {
        byName.record(kind, !outcome.failed(), micros(latencyNanos));
        int bucket = (int) (intendedNanos / bucketNanos);
        lastBucket = Math.max(lastBucket, bucket);
        int v = versions.id(version);
        column(outcome.failed() ? failed : ok, v).add(bucket);
        if (outcome.failed() && version == null && routedVersion != null) {
            column(routedFailed, versions.id(routedVersion)).add(bucket);
        }
        outcomeTotals[outcome.ordinal()]++;
        if (outcome.failed()) {
            column(causes, outcome.ordinal()).add(bucket);
        } else {
            recordLatency(intendedNanos, latencyNanos, v);
            recentLatency(v).record(micros(latencyNanos));
        }
        if (intendedNanos >= rolloutStart) {
            int u = Math.floorMod(user, users);
            usersExposed.set(u);
            if (outcome.failed()) {
                usersFailedExposed.set(u);
            }
            if (intendedNanos < rolloutEnd) {
                usersInRollout.set(u);
                if (outcome.failed()) {
                    usersFailedInRollout.set(u);
                }
            }
        }
        inOrder.complete(seq, intendedNanos, outcome.failed() ? InOrderStream.FAILED : InOrderStream.SUCCEEDED);
    }

    /** Records that the generator could not send request {@code seq}: it counts for nothing, and breaks no outage. */
    public synchronized void skip(long seq, long intendedNanos) {
        inOrder.complete(seq, intendedNanos, InOrderStream.SKIPPED);
    }

    /**
     * Records that the generator could not make request {@code seq} on time: counted by cause and bucket, left out
     * of every service metric, and an outage around it cannot be measured.
     */
    public synchronized void generatorLimited(long seq, long intendedNanos, LimitCause cause) {
        int bucket = (int) (intendedNanos / bucketNanos);
        lastBucket = Math.max(lastBucket, bucket);
        column(limited, cause.ordinal()).add(bucket);
        limitedTotals[cause.ordinal()]++;
        inOrder.complete(seq, intendedNanos, InOrderStream.LIMITED);
    }

    public synchronized void markRolloutStart(long nanos) {
        rolloutStart = nanos;
    }

    public synchronized void markRolloutEnd(long nanos) {
        rolloutEnd = nanos;
    }

    /** Ends recording at {@code endNanos}: requests still unaccounted for are given up, open outages closed. */
    public synchronized void finish(long endNanos) {
        inOrder.flush();
        outages.finish(Math.max(endNanos, watermark));
        finalizeSecondsBefore((int) (lastBucket / bucketsPerSecond) + 1);
    }

    private void inOrder(long seq, long intendedNanos, byte state) {
        if (state == InOrderStream.SKIPPED) {
            return;
        }
        watermark = Math.max(watermark, intendedNanos);
        if (state == InOrderStream.LIMITED) {
            outages.limited(intendedNanos);
        } else if (state == InOrderStream.FAILED) {
            outages.failure(intendedNanos);
            if (firstFailureInRollout < 0 && intendedNanos >= rolloutStart) {
                firstFailureInRollout = intendedNanos;
            }
        } else {
            outages.success(intendedNanos);
        }
        finalizeSecondsBefore((int) (watermark / SECOND));
    }

    private void recordLatency(long intendedNanos, long latencyNanos, int versionId) {
        int second = (int) (intendedNanos / SECOND);
        if (second < firstOpenSecond) {
            // Its second was summarised already (it finished later than the open window allows).
            total.recordValue(micros(latencyNanos));
            return;
        }
        if (second >= firstOpenSecond + openSeconds.length) {
            finalizeSecondsBefore(second - openSeconds.length + 1);
        }
        int slot = second % openSeconds.length;
        open(openSeconds, slot).recordValue(micros(latencyNanos));
        Histogram[] ofVersion = openSecondsByVersion[versionId];
        if (ofVersion == null) {
            ofVersion = openSecondsByVersion[versionId] = new Histogram[openSeconds.length];
            perSecondByVersion[versionId] = new SecondLatencies();
            totalByVersion[versionId] = new Histogram(maxTrackableMicros, 3);
        }
        open(ofVersion, slot).recordValue(micros(latencyNanos));
    }

    private Histogram open(Histogram[] seconds, int slot) {
        Histogram h = seconds[slot];
        if (h == null) {
            h = seconds[slot] = new Histogram(maxTrackableMicros, 3);
        }
        return h;
    }

    /** Summarises every open second before {@code second}: all its requests have completed. */
    private void finalizeSecondsBefore(int second) {
        for (; firstOpenSecond < second; firstOpenSecond++) {
            Histogram h = openSeconds[firstOpenSecond % openSeconds.length];
            if (h != null && h.getTotalCount() > 0) {
                perSecond.set(firstOpenSecond, h);
                total.add(h);
                h.reset();
            }
            for (int v = 0; v < Versions.MAX; v++) {
                Histogram ofVersion = openSecondsByVersion[v] == null ? null
                    : openSecondsByVersion[v][firstOpenSecond % openSeconds.length];
                if (ofVersion != null && ofVersion.getTotalCount() > 0) {
                    perSecondByVersion[v].set(firstOpenSecond, ofVersion);
                    totalByVersion[v].add(ofVersion);
                    ofVersion.reset();
                }
            }
        }
    }

    private RecentLatency recentLatency(int versionId) {
        RecentLatency r = recentLatency[versionId];
        if (r == null) {
            r = recentLatency[versionId] = new RecentLatency(maxTrackableMicros);
        }
        return r;
    }

    private long micros(long nanos) {
        return Math.min(maxTrackableMicros, Math.max(0, nanos / 1000));
    }

    /** {requests, failures} of the service in buckets [from, to): the outage tracker's view of a run's surroundings. */
    private long[] serviceCounts(int from, int to) {
        long requests = 0;
        long failures = 0;
        for (int v = 0; v < versions.size(); v++) {
            for (int b = from; b < to; b++) {
                int f = get(failed, v, b);
                requests += get(ok, v, b) + f;
                failures += f;
            }
        }
        return new long[] {requests, failures};
    }

    private static IntColumn column(IntColumn[] columns, int i) {
        IntColumn c = columns[i];
        if (c == null) {
            c = columns[i] = new IntColumn();
        }
        return c;
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    public long bucketNanos() {
        return bucketNanos;
    }

    public int bucketsPerSecond() {
        return bucketsPerSecond;
    }

    /** Number of buckets up to the last request recorded. */
    public synchronized int buckets() {
        return lastBucket + 1;
    }

    /** @return the id of a version seen so far, or -1 */
    public synchronized int versionId(String version) {
        return versions.find(version);
    }

    public synchronized List<String> versions() {
        return java.util.stream.IntStream.range(0, versions.size()).mapToObj(versions::name).toList();
    }

    public synchronized int succeeded(int versionId, int bucket) {
        return get(ok, versionId, bucket);
    }

    /** Requests of the bucket, every version and outcome. */
    public synchronized int total(int bucket) {
        int n = 0;
        for (int v = 0; v < versions.size(); v++) {
            n += get(ok, v, bucket) + get(failed, v, bucket);
        }
        return n;
    }

    public synchronized int failedTotal(int bucket) {
        int n = 0;
        for (int v = 0; v < versions.size(); v++) {
            n += get(failed, v, bucket);
        }
        return n;
    }

    /** Requests served by the version (any outcome) in the bucket. */
    public synchronized int served(int versionId, int bucket) {
        return get(ok, versionId, bucket) + get(failed, versionId, bucket);
    }

    private static int get(IntColumn[] columns, int i, int bucket) {
        return i < 0 || columns[i] == null ? 0 : columns[i].get(bucket);
    }

    /** Requests recorded so far with intended times in [fromNanos, toNanos): for live progress and analysis. */
    public synchronized WindowCounts window(long fromNanos, long toNanos) {
        long total = 0;
        long failedCount = 0;
        Map<String, Long> byVersion = new LinkedHashMap<>();
        Map<String, Long> failedByVersion = new LinkedHashMap<>();
        Map<String, Long> routedFailedByVersion = new LinkedHashMap<>();
        for (int v = 0; v < versions.size(); v++) {
            long served = 0;
            long failedOfVersion = 0;
            long routedFailures = 0;
            for (int b = (int) (fromNanos / bucketNanos); b < toNanos / bucketNanos; b++) {
                served += get(ok, v, b) + get(failed, v, b);
                failedOfVersion += get(failed, v, b);
                routedFailures += get(routedFailed, v, b);
            }
            if (routedFailures > 0) {
                routedFailedByVersion.put(versions.name(v), routedFailures);
            }
            total += served;
            failedCount += failedOfVersion;
            if (served > 0) {
                byVersion.put(versions.name(v), served);
            }
            if (failedOfVersion > 0) {
                failedByVersion.put(versions.name(v), failedOfVersion);
            }
        }
        return new WindowCounts(total, failedCount, byVersion, failedByVersion, routedFailedByVersion);
    }

    /** Failures that reached no version over the whole run, by the version the proxy routed them to. */
    public synchronized Map<String, Long> routedFailuresByVersion() {
        return window(0, (lastBucket + 1) * bucketNanos).routedFailedByVersion();
    }

    /**
     * Requests in a window of the run by served version; {@code unknown} for those that reached none, which also
     * count in {@code routedFailedByVersion} under the version a proxy routed them to, when it said. Versions without
     * requests (in {@code byVersion}) or without failures (in the other two) are left out.
     */
    public record WindowCounts(long total, long failed, Map<String, Long> byVersion,
                               Map<String, Long> failedByVersion, Map<String, Long> routedFailedByVersion) {
    }

    /**
     * Replaces {@code into} with the latency, in microseconds, of the successful requests served by the version that
     * completed since the previous call for it (since the first request, on the first call); empty when there were
     * none. Counted by completion time, unlike everything else here, so that one consumer calling once per interval
     * sees every request once and no sooner than it completed. Single consumer; {@code into} should auto-resize
     * (e.g. {@code new Histogram(3)}) or cover the recorder's maximum latency.
     *
     * @param versionId as {@link #versionId} returns, or the index in {@link #versions()}
     */
    public void takeLatency(int versionId, Histogram into) {
        RecentLatency r;
        synchronized (this) {
            r = versionId >= 0 && versionId < Versions.MAX ? recentLatency[versionId] : null;
        }
        // Outside the lock: the interval swap lets record() go on meanwhile.
        if (r == null) {
            into.reset();
        } else {
            r.takeInto(into);
        }
    }

    /** Requests the generator could not make on time, with intended times in the bucket, every cause. */
    public synchronized int generatorLimited(int bucket) {
        int n = 0;
        for (IntColumn c : limited) {
            n += c == null ? 0 : c.get(bucket);
        }
        return n;
    }

    public synchronized Map<LimitCause, Long> generatorLimitedTotals() {
        Map<LimitCause, Long> m = new EnumMap<>(LimitCause.class);
        for (LimitCause c : LimitCause.values()) {
            m.put(c, limitedTotals[c.ordinal()]);
        }
        return m;
    }

    public synchronized Map<Outcome, Long> outcomeTotals() {
        Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, outcomeTotals[o.ordinal()]);
        }
        return m;
    }

    /** Requests by served version over the whole run; failures that reached no version count under "unknown". */
    public synchronized Map<String, Long> requestsByVersion() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int v = 0; v < versions.size(); v++) {
            long n = 0;
            for (int b = 0; b <= lastBucket; b++) {
                n += get(ok, v, b) + get(failed, v, b);
            }
            if (n > 0) {
                m.put(versions.name(v), n);
            }
        }
        return m;
    }

    /**
     * Requests of one kind of the mix over the whole run, answered or failed (generator-limited ones excluded), with
     * the latency in microseconds of its successful requests.
     */
    public record NameTotals(long requests, long failed, Histogram latency) {
    }

    /** Each kind of the mix by name, in the mix's order; a load without a mix has the one {@code default}. */
    public synchronized Map<String, NameTotals> byRequestName() {
        return byName.totals();
    }

    public synchronized long downtimeNanos() {
        return outages.totalNanos();
    }

    public synchronized long longestOutageNanos() {
        return outages.longestNanos();
    }

    /** Full outages that overlapped requests the generator could not make: unmeasurable, left out of downtime. */
    public synchronized long unmeasurableOutages() {
        return outages.unmeasurable();
    }

    /**
     * One full outage, in nanoseconds since load start: from its first failed request to the next success (or the
     * end of the run). An unmeasurable one touched requests the generator could not make, so its bounds are unknown.
     */
    public record OutageWindow(long startNanos, long endNanos, boolean unmeasurable) {
    }

    /** Every full outage, measured or not, in order (the first {@value OutageTracker#MAX_LISTED}). */
    public synchronized List<OutageWindow> outageWindows() {
        return List.copyOf(outages.windows());
    }

    /**
     * The most candidate runs of failures the outage tracker held at once, awaiting the second after them: bounded by
     * one second of requests, never by the run's length.
     */
    public synchronized int outageCandidatesPeak() {
        return outages.pendingPeak();
    }

    /** Intended time of the first failed request at or after rollout start, or -1. */
    public synchronized long firstFailureInRollout() {
        return firstFailureInRollout;
    }

    public synchronized long usersInRollout() {
        return usersInRollout.cardinality();
    }

    public synchronized long usersFailedInRollout() {
        return usersFailedInRollout.cardinality();
    }

    /** Users who sent a request from rollout start to the end of the run. */
    public synchronized long usersExposed() {
        return usersExposed.cardinality();
    }

    /** Users with at least one failed request from rollout start to the end of the run. */
    public synchronized long usersFailedExposed() {
        return usersFailedExposed.cardinality();
    }

    /** Whole-run latency of successful requests, in microseconds. Includes only summarised seconds until finish. */
    public synchronized Histogram latency() {
        return total.copy();
    }

    /**
     * The latency of each version's successful requests in the seconds summarised so far, counted into classic
     * histogram buckets: per version, the requests with a latency of at most each bound and not the bound before
     * (the last bucket takes the rest), and their sum. One pass over each version's histogram; nothing is copied.
     *
     * @param upperBoundsMicros ascending
     */
    public synchronized Map<String, LatencyBuckets> latencyBuckets(long[] upperBoundsMicros) {
        Map<String, LatencyBuckets> byVersion = new LinkedHashMap<>();
        for (int v = 0; v < versions.size(); v++) {
            Histogram h = totalByVersion[v];
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            long[] counts = new long[upperBoundsMicros.length + 1];
            double sumMicros = 0;
            for (var value : h.recordedValues()) {
                // The top of the value's equivalence range: a bucket never holds a value above its bound.
                int i = Arrays.binarySearch(upperBoundsMicros, value.getValueIteratedTo());
                counts[i >= 0 ? i : -i - 1] += value.getCountAddedInThisIterationStep();
                sumMicros += h.medianEquivalentValue(value.getValueIteratedTo())
                    * (double) value.getCountAddedInThisIterationStep();
            }
            byVersion.put(versions.name(v), new LatencyBuckets(counts, sumMicros));
        }
        return byVersion;
    }

    /**
     * Successful requests by latency bucket ({@link #latencyBuckets}): {@code counts[i]} within bound i (above the
     * bound before), the last beyond every bound; {@code sumMicros} their latencies added up, to HdrHistogram's
     * precision (3 significant digits).
     */
    public record LatencyBuckets(long[] counts, double sumMicros) {
    }

    /** Latency percentiles of successful requests for one second, in ms; null when it had none or is still open. */
    public synchronized SecondLatencies.Summary latencyOfSecond(int second) {
        return perSecond.get(second);
    }

    /**
     * Latency percentiles of one version's successful requests for one second, in ms; null when it had none, the
     * second is still open, or the version is unknown.
     *
     * @param versionId as {@link #versionId} returns
     */
    public synchronized SecondLatencies.Summary latencyOfSecond(int second, int versionId) {
        return versionId < 0 || versionId >= Versions.MAX || perSecondByVersion[versionId] == null ? null
            : perSecondByVersion[versionId].get(second);
    }

    /** Latest second whose latency summary is complete, or -1. */
    public synchronized int lastSummarisedSecond() {
        return firstOpenSecond - 1;
    }

    /** Completions that arrived so late that ordering gave up on them (a sign of a saturated generator). */
    public synchronized long outOfOrderGivenUp() {
        return inOrder.forced();
    }
}
