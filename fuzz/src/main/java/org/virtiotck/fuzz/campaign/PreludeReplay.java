package org.virtiotck.fuzz.campaign;

import java.util.List;
import java.util.function.Supplier;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.program.Program;

/**
 * Replays a program after its <em>prelude</em>: the programs that ran before it on the same target, oldest first,
 * which a complaint may need when the target keeps state over the device reset between two programs (QEMU keeps
 * ring positions, and some of its assertion aborts are reached only then). Each prelude program runs through
 * {@link Harness#run} as in the campaign, its own complaint ignored; only the last program's complaint counts.
 */
final class PreludeReplay {
    private final Supplier<Harness> fresh;

    /** Replays on harnesses {@code fresh} opens (a new target and oracle each), closed after each replay. */
    PreludeReplay(Supplier<Harness> fresh) {
        this.fresh = fresh;
    }

    /** Runs the prelude and then {@code p} on {@code h} as it is; the complaint of {@code p}, or null. */
    static Complaint run(Harness h, List<Program> prelude, Program p) {
        for (Program q : prelude) {
            h.run(q); // what an earlier program showed is that program's complaint, not this one's
        }
        return h.run(p);
    }

    /** Whether one run of the prelude and {@code p} on a fresh target and oracle fails with {@code signature}. */
    boolean fails(List<Program> prelude, Program p, String signature) {
        try (Harness h = fresh.get()) {
            Complaint v = run(h, prelude, p);
            return v != null && v.signature().equals(signature);
        } catch (RuntimeException e) {
            return false; // the target could not be opened again: this replay did not reproduce
        }
    }

    /** How many of {@code n} runs of the prelude and {@code p}, each on a fresh target and oracle, fail so. */
    int count(List<Program> prelude, Program p, String signature, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            ok += fails(prelude, p, signature) ? 1 : 0;
        }
        return ok;
    }
}
