package org.virtiotck.fuzz.campaign;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
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
 */
public record CampaignConfig(String targetUri, Supplier<Target> targetFactory, Duration duration, Long execs,
                             long seed, Path out, int jobs, int shardIndex, int shardCount, long settleMillis,
                             PrintStream progress, boolean interactive, Duration progressEvery, int minimizeRuns,
                             Duration minimizeBudget, Waivers waivers, int replays) {

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
    }

    /** Defaults: one job, one shard, no files, silent, 200 ms settle, 3000 minimization runs in 20 s. */
    public static CampaignConfig of(String targetUri, Duration duration, Long execs, long seed) {
        return new CampaignConfig(targetUri, null, duration, execs, seed, null, 1, 0, 1, 200, null, false, null,
                3000, null, null, 3);
    }

    public CampaignConfig withTargetFactory(Supplier<Target> f) {
        return new CampaignConfig(targetUri, f, duration, execs, seed, out, jobs, shardIndex, shardCount,
                settleMillis, progress, interactive, progressEvery, minimizeRuns, minimizeBudget, waivers, replays);
    }

    public CampaignConfig withOut(Path dir) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, dir, jobs, shardIndex, shardCount,
                settleMillis, progress, interactive, progressEvery, minimizeRuns, minimizeBudget, waivers, replays);
    }

    public CampaignConfig withJobs(int n) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, n, shardIndex, shardCount,
                settleMillis, progress, interactive, progressEvery, minimizeRuns, minimizeBudget, waivers, replays);
    }

    public CampaignConfig withShard(int index, int count) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, jobs, index, count,
                settleMillis, progress, interactive, progressEvery, minimizeRuns, minimizeBudget, waivers, replays);
    }

    public CampaignConfig withProgress(PrintStream p, boolean live, Duration every) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, jobs, shardIndex, shardCount,
                settleMillis, p, live, every, minimizeRuns, minimizeBudget, waivers, replays);
    }

    public CampaignConfig withMinimizeBudget(int runs, Duration budget) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, jobs, shardIndex, shardCount,
                settleMillis, progress, interactive, progressEvery, runs, budget, waivers, replays);
    }

    public CampaignConfig withWaivers(Waivers w) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, jobs, shardIndex, shardCount,
                settleMillis, progress, interactive, progressEvery, minimizeRuns, minimizeBudget, w, replays);
    }

    public CampaignConfig withReplays(int n) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, jobs, shardIndex, shardCount,
                settleMillis, progress, interactive, progressEvery, minimizeRuns, minimizeBudget, waivers, n);
    }

    public CampaignConfig withSettleMillis(long ms) {
        return new CampaignConfig(targetUri, targetFactory, duration, execs, seed, out, jobs, shardIndex, shardCount,
                ms, progress, interactive, progressEvery, minimizeRuns, minimizeBudget, waivers, replays);
    }
}
