package org.virtiotck.fuzz.campaign;

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
 * One that does not fail every time is reported as flaky, with its rate, and never as a finding.
 */
final class FindingVerifier {
    /** A new complaint, as the hot loop saw it. */
    record Candidate(Complaint complaint, Program program, long foundAtMillis, long execsAtFind) {
    }

    /** What the verifier decided; called on the verifier's thread. */
    interface Listener {
        /**
         * A finding that reproduced on every replay; called once before minimizing (with the original program,
         * {@code minimized} null) and once after.
         */
        void reproduced(Candidate c, int replays, Minimizer.Result minimized);

        void flaky(Candidate c, int replays, int reproduced);
    }

    private final CampaignConfig cfg;
    private final Listener listener;
    private final ExecutorService worker;
    private final AtomicInteger pending = new AtomicInteger();

    FindingVerifier(CampaignConfig cfg, Listener listener) {
        this.cfg = cfg;
        this.listener = listener;
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
        int ok = replays(c.program(), sig, n);
        if (ok < n) {
            listener.flaky(c, n, ok);
            return;
        }
        listener.reproduced(c, n, null);
        Minimizer.Result r;
        try (Harness h = freshHarness()) {
            r = new Minimizer(h, cfg.minimizeRuns(), cfg.minimizeBudget()).minimize(c.program(), sig);
        } catch (RuntimeException e) {
            r = null;
        }
        if (r == null || !r.reproduced() || r.program().size() >= c.program().size()
                || replays(r.program(), sig, n) < n) {
            r = new Minimizer.Result(c.program(), r == null ? 0 : r.runs(), true, c.complaint());
        }
        listener.reproduced(c, n, r);
    }

    /** How many of {@code n} runs of {@code p}, each on a fresh target and oracle, fail with {@code signature}. */
    private int replays(Program p, String signature, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            try (Harness h = freshHarness()) {
                Complaint v = h.run(p);
                if (v != null && v.signature().equals(signature)) {
                    ok++;
                }
            } catch (RuntimeException e) {
                // the target could not be opened again: this replay did not reproduce
            }
        }
        return ok;
    }

    private Harness freshHarness() {
        return Harness.forTarget(cfg.targetFactory().get(), cfg.targetUri(), cfg.settleMillis());
    }
}
