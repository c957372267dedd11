package org.virtiotck.fuzz.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Observation;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.gen.Mutations;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.reports.json.FuzzReport;
import org.virtiotck.tck.gen.ChoiceSequence;
import org.virtiotck.tck.gen.Discard;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * A fuzz campaign: jobs generate and mutate programs, run them through a {@link Harness} (target + reference oracle),
 * keep programs that show new behaviour features, and turn oracle complaints into deduplicated, minimized,
 * replayable findings. The report is rewritten atomically at most every second and at once on each finding.
 *
 * <p>Inputs come from five sources, chosen per exec by the job's seeded random stream: fresh generation
 * ({@link ProgramGen}); prefix replay of a corpus entry's choices with a new random continuation (re-draws the tail:
 * later requests and the mutation list); point edits of a corpus entry's choices; a named program-level
 * {@linkplain Mutations.Strategy strategy} on a corpus program; and splicing two corpus programs. With one job, a
 * campaign with a given seed, shard and exec budget is deterministic.
 */
public final class Campaign {
    private static final int MAX_CORPUS = 4096;
    private static final int MAX_SAMPLES = 1200;
    private static final int MAX_OPS = 160;

    private final CampaignConfig cfg;
    private final LongAdder execs = new LongAdder();
    private final LongSet globalFeatures = new LongSet();
    private final AtomicLong corpusSize = new AtomicLong();
    private final Set<String> driverRules = ConcurrentHashMap.newKeySet();
    private final Set<Long> needsResetKinds = ConcurrentHashMap.newKeySet();
    private final Map<String, FindingState> findings = new LinkedHashMap<>();
    private final List<FuzzReport.Sample> series = new ArrayList<>();
    private volatile boolean stop;
    private volatile boolean finished;
    private long startNanos;
    private Instant startedAt;
    private volatile TargetInfo targetInfo;
    private volatile String harnessError;
    private volatile long triageMillis;
    private long lastWrite;
    private long lastSampleExecs;
    private long lastSampleNanos;
    private final LongAdder roundTrips = new LongAdder();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** CPU time the jobs' threads spent in their loops (for benchmarks on shared machines). */
    private final LongAdder jobCpuNanos = new LongAdder();
    private final FindingVerifier verifier;
    private final FindingRecords records;
    /** When the hot loop ended (0 while it runs): exec/s counts the campaign itself, not the triage after it. */
    private volatile long loopEndNanos;

    public Campaign(CampaignConfig cfg) {
        this.cfg = cfg;
        this.records = new FindingRecords(cfg);
        this.verifier = new FindingVerifier(cfg, new FindingVerifier.Listener() {
            @Override
            public void reproduced(FindingVerifier.Candidate c, int replays, List<Program> prelude,
                                   Minimizer.Result m) {
                filed(c, replays, prelude, m);
            }

            @Override
            public void flaky(FindingVerifier.Candidate c, int replays, int alone, int afterPrelude) {
                flakyFound(c, replays, alone, afterPrelude);
            }
        });
    }

    /** The outcome of a campaign. */
    public record Result(FuzzReport report, Path reportFile, String harnessError) {
        public boolean hasFindings() {
            return !report.findings().isEmpty();
        }
    }

    /** Derives job seeds: deterministic in (seed, shard index, shard count, job). */
    public static long jobSeed(long seed, int shard, int shards, int job) {
        long x = seed ^ 0x5DEECE66DL;
        x = mix(x + 0x9E3779B97F4A7C15L * (shard + 1));
        x = mix(x + 0xC2B2AE3D27D4EB4FL * shards);
        return mix(x + 0x165667B19E3779F9L * (job + 1));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Asks a running campaign to stop (e.g. from a shutdown hook); {@link #run()} then returns soon. */
    public void stop() {
        stop = true;
    }

    public Result run() {
        startNanos = System.nanoTime();
        lastSampleNanos = startNanos;
        startedAt = Instant.now();
        List<Thread> threads = new ArrayList<>();
        long perJob = cfg.execs() == null ? -1 : Math.max(1, cfg.execs() / cfg.jobs());
        for (int j = 0; j < cfg.jobs(); j++) {
            int job = j;
            long budget = cfg.execs() == null ? -1 : (j == cfg.jobs() - 1 ? cfg.execs() - perJob * (cfg.jobs() - 1)
                    : perJob);
            Thread t = Thread.ofPlatform().name("fuzz-job-" + j).daemon(true).start(() -> job(job, budget));
            threads.add(t);
        }
        long deadline = cfg.duration() == null ? Long.MAX_VALUE : startNanos + cfg.duration().toNanos();
        long nextProgress = System.nanoTime();
        long progressPeriod = cfg.interactive() ? 1_000_000_000L : cfg.progressEvery().toNanos();
        try {
            while (threads.stream().anyMatch(Thread::isAlive)) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    stop = true;
                }
                for (Thread t : threads) {
                    t.join(Math.max(1, Math.min(100, (deadline - now) / 1_000_000)));
                    break;
                }
                now = System.nanoTime();
                if (now - lastSampleNanos >= 1_000_000_000L) {
                    sample(now);
                    writeReport(false);
                }
                if (cfg.progress() != null && now - nextProgress >= 0) {
                    progress(now, false);
                    nextProgress = now + progressPeriod;
                }
            }
            loopEndNanos = System.nanoTime();
            sample(loopEndNanos);
            // Triage after the loop: let the verifier decide what is queued (each item is bounded by the replays'
            // target timeouts and the minimization budget).
            long bound = (long) (verifier.pending() + 1) * (cfg.minimizeBudget().toMillis() + 120_000L);
            long drainStart = System.nanoTime();
            if (cfg.progress() != null && verifier.pending() > 0) {
                synchronized (cfg.progress()) {
                    cfg.progress().println((cfg.interactive() ? "\r\033[K" : "") + "[fuzz] campaign done; replaying "
                            + "and minimizing " + verifier.pending() + " new complaint(s)");
                }
            }
            verifier.drain(bound);
            triageMillis = (System.nanoTime() - drainStart) / 1_000_000;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = true;
        }
        if (loopEndNanos == 0) {
            loopEndNanos = System.nanoTime();
            sample(loopEndNanos);
        }
        finished = true;
        FuzzReport report = writeReport(true);
        if (cfg.progress() != null) {
            progress(System.nanoTime(), true);
        }
        return new Result(report, cfg.out() == null ? null : cfg.out().resolve(FuzzReport.FILE_NAME), harnessError);
    }

    // ------------------------------------------------------------------------------------------ one job

    /** A program and how it was drawn: its source until the corpus keeps it, then its choices (most never are). */
    private record Entry(Program program, Source source, ChoiceSequence choices) {
        Entry kept() {
            return source == null ? this : new Entry(program, null, source.choices());
        }
    }

    private static final class Sink implements LongConsumer {
        final LongSet local = new LongSet();
        final List<Long> fresh = new ArrayList<>();

        @Override
        public void accept(long f) {
            if (local.add(f)) {
                fresh.add(f);
            }
        }
    }

    private void job(int job, long budget) {
        long seed = jobSeed(cfg.seed(), cfg.shardIndex(), cfg.shardCount(), job);
        SplittableRandom rng = new SplittableRandom(seed);
        Target target;
        try {
            target = cfg.targetFactory().get();
        } catch (RuntimeException e) {
            harnessError = "cannot open target " + cfg.targetUri() + ": " + e.getMessage();
            stop = true;
            return;
        }
        try (Harness h = Harness.forTarget(target, cfg.targetUri(), cfg.settleMillis())) {
            if (targetInfo == null) {
                targetInfo = target.info();
            }
            ProgramGen gen = new ProgramGen(h.profile());
            Sink sink = new Sink();
            Set<String> rulesSeen = new HashSet<>();
            LongSet resetKindsSeen = new LongSet();
            List<Entry> corpus = new ArrayList<>();
            History history = new History(cfg.history());
            long mine = 0;
            String lastReason = null;
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            while (!stop && (budget < 0 || mine < budget)) {
                Entry e = next(rng, gen, corpus);
                if (e == null || e.program().size() > MAX_OPS) {
                    continue;
                }
                Complaint v = h.run(e.program());
                history.sync(h.hardResets()); // a run that started from a hard reset has no history
                mine++;
                execs.increment();
                roundTrips.add(h.lastRoundTrips());
                sink.fresh.clear();
                h.features(e.program(), sink);
                Observation ro = h.referenceObservation();
                ro.forEachRuleId(rule -> {
                    if (rulesSeen.add(rule)) {
                        driverRules.add(rule); // the shared set sees each rule once per job, not once per exec
                    }
                });
                String reason = ro.needsResetReason();
                if (reason != null && !reason.equals(lastReason)) { // the same words again add nothing to the set
                    lastReason = reason;
                    long kind = Harness.normalize(reason);
                    if (resetKindsSeen.add(kind)) {
                        needsResetKinds.add(kind); // the shared set sees each kind once per job
                    }
                }
                if (!sink.fresh.isEmpty()) {
                    synchronized (globalFeatures) {
                        for (long f : sink.fresh) {
                            globalFeatures.add(f);
                        }
                    }
                    if (corpus.size() < MAX_CORPUS) {
                        corpus.add(e.kept());
                        corpusSize.incrementAndGet();
                    } else {
                        corpus.set(rng.nextInt(corpus.size()), e.kept());
                    }
                }
                if (v != null) {
                    finding(v, e.program(), history, mine);
                }
                history.add(e.program());
            }
            jobCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
        } catch (RuntimeException e) {
            harnessError = "harness error in job " + job + ": " + e;
            stop = true;
        }
    }

    private Entry next(SplittableRandom rng, ProgramGen gen, List<Entry> corpus) {
        int dice = rng.nextInt(100);
        try {
            if (corpus.isEmpty() || dice < 20) {
                Source s = Source.random(rng.nextLong());
                Program p = gen.generate(s);
                return new Entry(p, s, null);
            }
            Entry parent = corpus.get(rng.nextInt(corpus.size()));
            if (dice < 80 && parent.choices() != null) {
                ChoiceSequence cs = parent.choices();
                Source s;
                if (dice < 55) {
                    int cut = cs.length() == 0 ? 0 : rng.nextInt(cs.length() + 1);
                    s = Source.replay(cs.prefix(cut), rng.nextLong());
                } else {
                    long[] v = cs.toArray();
                    int edits = 1 + rng.nextInt(3);
                    for (int k = 0; k < edits && v.length > 0; k++) {
                        int i = rng.nextInt(v.length);
                        v[i] = switch (rng.nextInt(4)) {
                            case 0 -> 0;
                            case 1 -> v[i] + 1;
                            case 2 -> v[i] - 1;
                            default -> rng.nextLong(1L << rng.nextInt(1, 33));
                        };
                    }
                    s = Source.replay(ChoiceSequence.of(v), rng.nextLong());
                }
                Program p = gen.generate(s);
                return new Entry(p, s, null);
            }
            if (dice < 90) {
                Mutations.Strategy st = Mutations.Strategy.values()[rng.nextInt(Mutations.Strategy.values().length)];
                return new Entry(gen.mutations().apply(st, parent.program(), Source.random(rng.nextLong())), null,
                        null);
            }
            Entry other = corpus.get(rng.nextInt(corpus.size()));
            return new Entry(Mutations.splice(parent.program(), other.program(), Source.random(rng.nextLong())),
                    null, null);
        } catch (Discard d) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------ findings

    public static String findingId(String signature) {
        long h = 1125899906842597L;
        for (int i = 0; i < signature.length(); i++) {
            h = 31 * h + signature.charAt(i);
        }
        return "f" + String.format("%08x", (int) (mix(h) >>> 32));
    }

    /**
     * In the hot loop: counts a known complaint, or queues a new one for the verifier with the programs that ran
     * before it (or counts it waived).
     */
    private void finding(Complaint v, Program p, History history, long execsAtFind) {
        synchronized (findings) {
            FindingState known = findings.get(v.signature());
            if (known != null) {
                known.hits++;
                if (!known.verifyAgain(history.size())) {
                    return;
                }
            } else {
                FindingState state = new FindingState(v.signature());
                findings.put(v.signature(), state);
                String reason = Triage.waivedBy(v, cfg.waivers());
                if (reason != null) {
                    state.waived = new FuzzReport.WaivedEntry(v.signature(), v.kind().name(), v.summary(),
                            v.requirementIds(), Triage.severity(v).name(), 1, reason);
                    return;
                }
            }
        }
        verifier.submit(new FindingVerifier.Candidate(v, p, history.programs(), elapsedMillis(System.nanoTime()),
                execsAtFind));
    }

    /**
     * On the verifier's thread: a complaint that failed on every replay (alone, or after its prelude) becomes a
     * finding (again once minimized).
     */
    private void filed(FindingVerifier.Candidate c, int replays, List<Program> prelude, Minimizer.Result r) {
        FuzzReport.FindingEntry entry = records.finding(c, replays, prelude, r);
        synchronized (findings) {
            FindingState state = findings.get(entry.signature());
            state.entry = entry;
            state.verifying = r == null;
        }
        records.write(c, prelude, r, entry);
        writeReport(true);
        if (r != null) {
            say(records.findingLines(c, prelude, entry));
        }
    }

    private void flakyFound(FindingVerifier.Candidate c, int replays, int alone, int afterPrelude) {
        FuzzReport.FlakyEntry f = records.flaky(c, replays, alone, afterPrelude);
        int n;
        synchronized (findings) {
            FindingState state = findings.get(f.signature());
            state.verifying = false;
            n = state.verifications;
            if (state.flaky == null || f.rate() >= state.flaky.rate()) {
                state.flaky = f; // a later verification is reported unless an earlier one reproduced more often
            }
        }
        writeReport(true);
        say(FindingRecords.flakyLine(c, f) + (n > 1 ? " (verification " + n + " of at most "
                + FindingState.VERIFICATIONS + ")" : ""));
    }

    /** Prints whole lines between the progress lines (none without a progress stream). */
    private void say(String lines) {
        if (cfg.progress() != null) {
            synchronized (cfg.progress()) {
                cfg.progress().println((cfg.interactive() ? "\r\033[K" : "") + lines);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ report

    private long elapsedMillis(long now) {
        return (now - startNanos) / 1_000_000;
    }

    private synchronized void sample(long now) {
        long e = execs.sum();
        double dt = (now - lastSampleNanos) / 1e9;
        double rate = dt > 0 ? (e - lastSampleExecs) / dt : 0;
        lastSampleNanos = now;
        lastSampleExecs = e;
        int coverage;
        synchronized (globalFeatures) {
            coverage = globalFeatures.size();
        }
        int nf = counts()[0];
        series.add(new FuzzReport.Sample(elapsedMillis(now), e, Math.round(rate * 10) / 10.0, coverage,
                corpusSize.get(), nf));
        if (series.size() > MAX_SAMPLES) {
            List<FuzzReport.Sample> thin = new ArrayList<>();
            for (int i = 0; i < series.size(); i++) {
                if (i % 2 == 0 || i == series.size() - 1) {
                    thin.add(series.get(i));
                }
            }
            series.clear();
            series.addAll(thin);
        }
    }

    /** Builds the report and, when {@code force} or a second has passed, writes it atomically. */
    public synchronized FuzzReport writeReport(boolean force) {
        long now = System.nanoTime();
        FuzzReport r = snapshot(now);
        if (cfg.out() != null && (force || now - lastWrite >= 1_000_000_000L)) {
            lastWrite = now;
            try {
                r.write(cfg.out().resolve(FuzzReport.FILE_NAME));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return r;
    }

    /** Findings, flaky complaints, waived complaints, complaints still being verified. */
    private int[] counts() {
        int[] c = new int[4];
        synchronized (findings) {
            for (FindingState f : findings.values()) {
                c[f.entry != null ? 0 : f.flaky != null ? 1 : f.waived != null ? 2 : 3]++;
            }
        }
        return c;
    }

    private FuzzReport snapshot(long now) {
        long e = execs.sum();
        long end = loopEndNanos;
        long ms = elapsedMillis(end != 0 ? end : now);
        List<FuzzReport.FindingEntry> list = new ArrayList<>();
        List<FuzzReport.FlakyEntry> flaky = new ArrayList<>();
        List<FuzzReport.WaivedEntry> waived = new ArrayList<>();
        synchronized (findings) {
            for (FindingState f : findings.values()) {
                if (f.entry != null) {
                    list.add(f.entry.withHits(f.hits));
                } else if (f.flaky != null) {
                    flaky.add(f.flaky.withHits(f.hits));
                } else if (f.waived != null) {
                    FuzzReport.WaivedEntry x = f.waived;
                    waived.add(new FuzzReport.WaivedEntry(x.signature(), x.kind(), x.summary(), x.requirementIds(),
                            x.severity(), f.hits, x.reason()));
                }
            }
        }
        int coverage;
        synchronized (globalFeatures) {
            coverage = globalFeatures.size();
        }
        TargetInfo info = targetInfo;
        FuzzReport.TargetDesc target = info == null
                ? new FuzzReport.TargetDesc(cfg.targetUri(), cfg.targetUri(), "unknown", Map.of())
                : new FuzzReport.TargetDesc(cfg.targetUri(), info.name(), info.version(), info.details());
        String replay = "fuzz run --target '" + cfg.targetUri() + "' --seed " + cfg.seed()
                + (cfg.execs() != null ? " --execs " + cfg.execs() : " --duration " + cfg.duration().toSeconds() + "s")
                + (cfg.shardCount() > 1 ? " --shard " + cfg.shardIndex() + "/" + cfg.shardCount() : "")
                + (cfg.jobs() > 1 ? " --jobs " + cfg.jobs() : "");
        return new FuzzReport(FuzzReport.SCHEMA, tool(), target,
                new FuzzReport.OracleDesc("reference device (in-process)", version(),
                        "differential + canary + disk + fault oracles (org.virtiotck.fuzz.exec.Differential)"),
                Long.toString(cfg.seed()), new FuzzReport.Shard(cfg.shardIndex(), cfg.shardCount()), cfg.jobs(),
                startedAt.toString(), Instant.now().toString(), finished, ms,
                cfg.duration() == null ? null : cfg.duration().toMillis(), cfg.execs(), e,
                ms > 0 ? Math.round(e * 10000.0 / ms) / 10.0 : 0,
                new FuzzReport.CoverageDesc(coverage, corpusSize.get(), List.copyOf(new TreeSet<>(driverRules)),
                        needsResetKinds.size()),
                List.copyOf(series), list, replay, null,
                e > 0 ? Math.round(roundTrips.sum() * 10.0 / e) / 10.0 : 0, triageMillis, flaky, waived);
    }

    static FuzzReport.Tool tool() {
        return new FuzzReport.Tool("virtio-fuzz", version(), System.getProperty("java.version"));
    }

    static String version() {
        String v = Campaign.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private void progress(long now, boolean last) {
        long e = execs.sum();
        double secs = (now - startNanos) / 1e9;
        int coverage;
        synchronized (globalFeatures) {
            coverage = globalFeatures.size();
        }
        int[] n = counts();
        double loopSecs = loopEndNanos == 0 ? secs : (loopEndNanos - startNanos) / 1e9;
        double rate = last || series.isEmpty() ? (loopSecs > 0 ? e / loopSecs : 0)
                : series.get(series.size() - 1).execsPerSecond();
        String left;
        if (cfg.duration() != null) {
            long l = Math.max(0, cfg.duration().toSeconds() - (long) secs);
            left = String.format("%d:%02d", l / 60, l % 60);
        } else {
            left = Math.max(0, cfg.execs() - e) + " execs";
        }
        long rt = e > 0 ? Math.round((double) roundTrips.sum() / e) : 0;
        String line = String.format("[fuzz] %s execs %,d (%,.0f/s, %d round trips/exec) coverage %d corpus %d "
                        + "findings %d flaky %d waived %d verifying %d left %s", fmt(secs), e, rate, rt, coverage,
                corpusSize.get(), n[0], n[1], n[2], n[3], last ? "done" : left);
        synchronized (cfg.progress()) {
            if (cfg.interactive() && !last) {
                cfg.progress().print("\r\033[K" + line);
                cfg.progress().flush();
            } else {
                cfg.progress().println((cfg.interactive() ? "\r\033[K" : "") + line);
            }
        }
    }

    private static String fmt(double secs) {
        long s = (long) secs;
        return String.format("%d:%02d", s / 60, s % 60);
    }

    /**
     * CPU time the jobs' threads spent in their generate-run-judge loops, summed over the jobs (-1 where the JVM
     * does not measure thread CPU time); read after {@link #run()}.
     */
    public long jobCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? jobCpuNanos.sum() : -1;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
