package org.virtiotck.fuzz.campaign;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramCodec;
import org.virtiotck.tck.gen.ChoiceSequence;
import org.virtiotck.tck.gen.DeltaDebugging;
import org.virtiotck.tck.gen.Shrinker;

/**
 * Minimizes a failing program: {@link DeltaDebugging#minimize ddmin} over its ops (1-minimal: dropping any one op
 * loses the finding), then the {@link Shrinker} over the program's {@linkplain ProgramCodec choice encoding}
 * (simplifies field values: addresses, lengths, flags towards 0, and deletes ops again). A candidate counts only
 * if it fails with the <em>same signature</em>. Candidates run from a cheap device reset (from a hard reset of both
 * sides where disk data matters); one that fails is kept only if it fails from a hard reset too, and the result is
 * checked from a hard reset, so it does not depend on state left by earlier runs (a target may keep state over a
 * device reset: {@code MinimizerStateTest}). Bounded by a number of runs and a wall-clock budget.
 *
 * <p>With a <em>prelude</em> (programs that must run first on the same target, a finding that reproduces only after
 * them: {@link PreludeReplay}) every candidate and every check runs from a hard reset of both sides, then the
 * prelude, then the candidate; only the candidate's complaint counts. The prelude itself is not changed here.
 */
public final class Minimizer {
    private final Harness harness;
    private final int maxRuns;
    private final Duration budget;
    private final List<Program> prelude;

    public record Result(Program program, int runs, boolean reproduced, Complaint complaint) {
    }

    public Minimizer(Harness harness, int maxRuns, Duration budget) {
        this(harness, maxRuns, budget, List.of());
    }

    /** A minimizer that runs {@code prelude} (oldest first) before every program it runs. */
    public Minimizer(Harness harness, int maxRuns, Duration budget, List<Program> prelude) {
        this.harness = harness;
        this.maxRuns = maxRuns;
        this.budget = budget;
        this.prelude = List.copyOf(prelude);
    }

    /**
     * Runs {@code p} once from a hard reset of both sides (fresh devices and disks), after the prelude if there is
     * one; the complaint of {@code p}, or null.
     */
    public Complaint replay(Program p) {
        harness.hardReset();
        return PreludeReplay.run(harness, prelude, p);
    }

    /**
     * Runs a candidate from a cheap device reset; from a hard reset only when the complaint compares disk data and
     * the disks are out of sync (for any other complaint their content cannot make the two sides differ: IN data
     * is compared only while they are in sync), or when there is a prelude (which must run from power-on).
     */
    private Complaint candidate(Program p, String signature) {
        if (!prelude.isEmpty()) {
            return replay(p);
        }
        if (!harness.disksInSync() && dependsOnDisk(signature)) {
            harness.hardReset(); // a restart of a slow target (QEMU): only when the disk content can matter
        }
        return harness.run(p);
    }

    /** Whether a complaint compares disk data (then both disks must be in sync for a candidate to count). */
    static boolean dependsOnDisk(String signature) {
        return signature.startsWith("disk:") || signature.equals("diff:in-data");
    }

    public Result minimize(Program failing, String signature) {
        long deadline = System.nanoTime() + budget.toNanos();
        int[] runs = {0};
        Predicate<Program> fails = p -> {
            if (runs[0] >= maxRuns || System.nanoTime() - deadline > 0) {
                return false;
            }
            runs[0]++;
            Complaint v = candidate(p, signature);
            if (v == null || !v.signature().equals(signature)) {
                return false;
            }
            if (!prelude.isEmpty()) {
                return true; // it ran from a hard reset already
            }
            // A candidate runs from a device reset, and a target may keep state over one (QEMU 7.2 does): it may
            // fail only because an earlier candidate left that state. Keep it only if it fails from a fresh target
            // too (few candidates are kept, so this costs few hard resets).
            runs[0]++;
            Complaint again = replay(p);
            return again != null && again.signature().equals(signature);
        };
        Complaint first = replay(failing);
        if (first == null || !first.signature().equals(signature)) {
            return new Result(failing, 1, false, first);
        }
        DeltaDebugging.Result<Op> dd = DeltaDebugging.minimize(failing.ops(),
                ops -> fails.test(new Program(ops)), maxRuns);
        Program best = new Program(dd.minimal());
        Shrinker.Result sr = Shrinker.withBudget(Math.max(0, maxRuns - runs[0]),
                        Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
                .shrink(ProgramCodec.encode(best), Shrinker.Target.of(ProgramCodec.GEN, fails::test));
        Program shrunk = ProgramCodec.GEN.replay(sr.best());
        Complaint check = replay(shrunk);
        if (check != null && check.signature().equals(signature)) {
            return new Result(shrunk, runs[0] + 1, true, check);
        }
        check = replay(best);
        boolean ok = check != null && check.signature().equals(signature);
        return new Result(ok ? best : failing, runs[0] + 2, ok, ok ? check : first);
    }

    static ChoiceSequence choicesOf(Program p) {
        return ProgramCodec.encode(p);
    }

    static List<Op> ops(Program p) {
        return p.ops();
    }
}
