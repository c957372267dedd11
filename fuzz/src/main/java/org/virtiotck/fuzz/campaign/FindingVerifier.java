package org.virtiotck.fuzz.campaign;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.program.Program;

/**
 * Replays, minimizes and files new oracle complaints on a thread of its own, so the campaign's hot loop never
 * waits for them. A complaint is replayed {@link CampaignConfig#replays()} times, each time on a fresh target
 * and a fresh oracle (opened anew through the campaign's target factory): one that fails the same way every time
 * is minimized (within the campaign's minimization budget), the minimized program is replayed the same way, and
 * the finding is reported with the minimized program if that reproduced every time, else with the original one.
 *
 * <p>One that does not fail every time alone is replayed as often again after its <em>prelude</em>, the programs
 * its job ran before it since the target's last hard reset ({@link History}): if it fails every time so, it is a
 * finding that needs earlier programs. The prelude is then cut to the programs it needs ({@link PreludeReducer}),
 * the program minimized with that prelude run before each attempt, and the result replayed as above; what does
 * not reproduce every time falls back to the longer prelude or the original program. A complaint that fails
 * neither way every time is reported as flaky, with both rates, and never as a finding.
 */
final class FindingVerifier {
    /**
     * A new complaint, as the hot loop saw it.
     *
     * @param prelude the programs that ran before it on its job's target since the last hard reset, oldest first
     */
    record Candidate(Complaint complaint, Program program, List<Program> prelude, long foundAtMillis,
                     long execsAtFind) {
        Candidate {
            prelude = List.copyOf(prelude);
        }
    }

    /** What the verifier decided; called on the verifier's thread. */
    interface Listener {
        /**
         * A finding that reproduced on every replay, alone ({@code prelude} empty) or after {@code prelude}; called
         * once before minimizing (with the original program and prelude, {@code minimized} null) and once after.
         */
        void reproduced(Candidate c, int replays, List<Program> prelude, Minimizer.Result minimized);

        /**
         * A complaint that did not fail on every replay: {@code alone} of the replays of its program alone failed
         * the same way, {@code afterPrelude} of those after its prelude (-1: not tried, there was none).
         */
        void flaky(Candidate c, int replays, int alone, int afterPrelude);
    }

    private final CampaignConfig cfg;
    private final Listener listener;
    private final ExecutorService worker;
    private final AtomicInteger pending = new AtomicInteger();
    private final PreludeReplay replay;

    FindingVerifier(CampaignConfig cfg, Listener listener) {
        this.cfg = cfg;
        this.listener = listener;
        this.replay = new PreludeReplay(this::freshHarness);
        this.worker = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("fuzz-verify").daemon(true).unstarted(r));
    }

    void submit(Candidate c) {
        pending.incrementAndGet();
        worker.execute(() -> {
            try {
                verify(c);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** Complaints submitted and not decided yet. */
    int pending() {
        return pending.get();
    }

    /** Lets the queued complaints finish, for at most {@code millis}; returns whether all did. */
    boolean drain(long millis) throws InterruptedException {
        worker.shutdown();
        boolean done = worker.awaitTermination(millis, TimeUnit.MILLISECONDS);
        if (!done) {
            worker.shutdownNow();
        }
        return done;
    }

    private void verify(Candidate c) {
        String sig = c.complaint().signature();
        int n = cfg.replays();
        int alone = replay.count(List.of(), c.program(), sig, n);
        if (alone == n) {
            listener.reproduced(c, n, List.of(), null);
            listener.reproduced(c, n, List.of(), minimized(c, List.of(), 0, cfg.minimizeRuns(),
                    System.nanoTime() + cfg.minimizeBudget().toNanos()));
            return;
        }
        if (c.prelude().isEmpty()) {
            listener.flaky(c, n, alone, -1);
            return;
        }
        int after = replay.count(c.prelude(), c.program(), sig, n);
        if (after < n) {
            listener.flaky(c, n, alone, after);
            return;
        }
        listener.reproduced(c, n, c.prelude(), null);
        long deadline = System.nanoTime() + cfg.minimizeBudget().toNanos();
        PreludeReducer.Result cut = PreludeReducer.reduce(replay, c.prelude(), c.program(), sig, cfg.minimizeRuns(),
                deadline);
        List<Program> prelude = cut.prelude();
        if (prelude.size() < c.prelude().size() && replay.count(prelude, c.program(), sig, n) < n) {
            prelude = c.prelude(); // the shorter prelude was luck: keep the one that reproduced every time
        }
        listener.reproduced(c, n, prelude, minimized(c, prelude, cut.runs(), cfg.minimizeRuns() - cut.runs(),
                deadline));
    }

    /**
     * Minimizes the candidate's program with {@code prelude} run before each attempt, within {@code runs} and the
     * deadline; the result if it reproduced on every replay, else the original program ({@code spent} runs are
     * counted in either).
     */
    private Minimizer.Result minimized(Candidate c, List<Program> prelude, int spent, int runs, long deadline) {
        String sig = c.complaint().signature();
        Minimizer.Result r;
        try (Harness h = freshHarness()) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            r = new Minimizer(h, Math.max(0, runs), left, prelude).minimize(c.program(), sig);
        } catch (RuntimeException e) {
            r = null;
        }
        int total = spent + (r == null ? 0 : r.runs());
        if (r == null || !r.reproduced() || r.program().size() >= c.program().size()
                || replay.count(prelude, r.program(), sig, cfg.replays()) < cfg.replays()) {
            return new Minimizer.Result(c.program(), total, true, c.complaint());
        }
        return new Minimizer.Result(r.program(), total, true, r.complaint());
    }

    private Harness freshHarness() {
        return Harness.forTarget(cfg.targetFactory().get(), cfg.targetUri(), cfg.settleMillis());
    }
}
