package org.virtiotck.fuzz.campaign;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.virtiotck.reports.waiver.Waivers;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * Settings of one campaign (or one shard of it).
 *
 * @param targetUri      the target URI (reported, and used to open the oracle)
 * @param targetFactory  opens one target per job (defaults to {@code Targets.open(targetUri)})
 * @param duration       stop after this long (null: run until {@code execs})
 * @param execs          stop after this many executions in total (null: run until {@code duration})
 * @param seed           campaign seed; every job's stream derives from it, the shard and the job index
 * @param out            report directory (null: no files)
 * @param jobs           parallel jobs (each with its own target and oracle)
 * @param shardIndex     this shard, 0-based
 * @param shardCount     number of shards
 * @param settleMillis   how long an asynchronous target may take to complete what the reference completed
 * @param progress       where progress lines go (null: silent)
 * @param interactive    rewrite one live line instead of printing periodic lines
 * @param progressEvery  period of the plain progress lines
 * @param minimizeRuns   run budget per finding minimization
 * @param minimizeBudget wall-clock budget per finding minimization
 * @param waivers        known deviations (the suites' waiver files): findings whose requirement ids they all cover
 *                       are counted as waived, not reported as new
 * @param replays        how often a finding is replayed, each time on a fresh target, before it is reported; one
 *                       that does not fail every time is reported as flaky
 * @param history        how many of the programs a job ran before a complaint (since its target's last hard reset)
 *                       the verifier may replay before it when the complaint does not reproduce alone, at most
 *                       {@value #MAX_HISTORY} (0: none)
 */
public record CampaignConfig(String targetUri, Supplier<Target> targetFactory, Duration duration, Long execs,
                             long seed, Path out, int jobs, int shardIndex, int shardCount, long settleMillis,
                             PrintStream progress, boolean interactive, Duration progressEvery, int minimizeRuns,
                             Duration minimizeBudget, Waivers waivers, int replays, int history) {
    /** The most earlier programs a job keeps for the verifier. */
    public static final int MAX_HISTORY = 64;
    /** Earlier programs kept unless told otherwise. */
    public static final int DEFAULT_HISTORY = 8;

    public CampaignConfig {
        if (duration == null && execs == null) {
            throw new IllegalArgumentException("give a duration or a number of execs");
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
            throw new IllegalArgumentException("bad shard " + shardIndex + "/" + shardCount);
        }
        if (targetFactory == null) {
            String uri = targetUri;
            targetFactory = () -> Targets.open(uri);
        }
        if (progressEvery == null) {
            progressEvery = Duration.ofSeconds(10);
        }
        if (minimizeBudget == null) {
            minimizeBudget = Duration.ofSeconds(20);
        }
        if (waivers == null) {
            waivers = Waivers.none();
        }
        if (replays < 1) {
            throw new IllegalArgumentException("replays must be at least 1");
        }
        if (history < 0 || history > MAX_HISTORY) {
            throw new IllegalArgumentException("history must be 0 to " + MAX_HISTORY + ", got " + history);
        }
    }

    /**
     * Defaults: one job, one shard, no files, silent, 200 ms settle, 3000 minimization runs in 20 s, 3 replays,
     * {@value #DEFAULT_HISTORY} earlier programs kept.
     */
    public static CampaignConfig of(String targetUri, Duration duration, Long execs, long seed) {
        return new CampaignConfig(targetUri, null, duration, execs, seed, null, 1, 0, 1, 200, null, false, null,
                3000, null, null, 3, DEFAULT_HISTORY);
    }

    public CampaignConfig withTargetFactory(Supplier<Target> f) {
        return with(b -> b.targetFactory = f);
    }

    public CampaignConfig withOut(Path dir) {
        return with(b -> b.out = dir);
    }

    public CampaignConfig withJobs(int n) {
        return with(b -> b.jobs = n);
    }

    public CampaignConfig withShard(int index, int count) {
        return with(b -> {
            b.shardIndex = index;
            b.shardCount = count;
        });
    }

    public CampaignConfig withProgress(PrintStream p, boolean live, Duration every) {
        return with(b -> {
            b.progress = p;
            b.interactive = live;
            b.progressEvery = every;
        });
    }

    public CampaignConfig withMinimizeBudget(int runs, Duration budget) {
        return with(b -> {
            b.minimizeRuns = runs;
            b.minimizeBudget = budget;
        });
    }

    public CampaignConfig withWaivers(Waivers w) {
        return with(b -> b.waivers = w);
    }

    public CampaignConfig withReplays(int n) {
        return with(b -> b.replays = n);
    }

    public CampaignConfig withHistory(int programs) {
        return with(b -> b.history = programs);
    }

    public CampaignConfig withSettleMillis(long ms) {
        return with(b -> b.settleMillis = ms);
    }

    /** This configuration with what {@code change} sets changed. */
    private CampaignConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** A copy of a configuration's settings that the withers change before building the new one. */
    private static final class Builder {
        String targetUri;
        Supplier<Target> targetFactory;
        Duration duration;
        Long execs;
        long seed;
        Path out;
        int jobs;
        int shardIndex;
        int shardCount;
        long settleMillis;
        PrintStream progress;
        boolean interactive;
        Duration progressEvery;
        int minimizeRuns;
        Duration minimizeBudget;
        Waivers waivers;
        int replays;
        int history;

        Builder(CampaignConfig c) {
            targetUri = c.targetUri();
            targetFactory = c.targetFactory();
            duration = c.duration();
            execs = c.execs();
            seed = c.seed();
            out = c.out();
            jobs = c.jobs();
            shardIndex = c.shardIndex();
            shardCount = c.shardCount();
            settleMillis = c.settleMillis();
            progress = c.progress();
            interactive = c.interactive();
            progressEvery = c.progressEvery();
            minimizeRuns = c.minimizeRuns();
            minimizeBudget = c.minimizeBudget();
            waivers = c.waivers();
            replays = c.replays();
            history = c.history();
        }

        CampaignConfig build() {
            return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, jobs, shardIndex,
                    shardCount, settleMillis, progress, interactive, progressEvery, minimizeRuns, minimizeBudget,
                    waivers, replays, history);
        }
    }
}
