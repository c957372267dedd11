package org.virtiotck.fuzz.campaign;

import java.util.List;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.tck.gen.DeltaDebugging;

/**
 * Drops the programs of a prelude that a finding does not need: {@link DeltaDebugging#minimize ddmin} over the
 * prelude's programs (order kept), each candidate prelude replayed once with the finding's program on a fresh
 * target ({@link PreludeReplay#fails}). The empty prelude is never a candidate: the program alone is known not to
 * fail every time. Bounded by a number of runs and a deadline; what it returns is checked again by the caller.
 */
final class PreludeReducer {
    /** The prelude kept (1-minimal unless the budget ran out) and the replays it took. */
    record Result(List<Program> prelude, int runs) {
    }

    private PreludeReducer() {
    }

    static Result reduce(PreludeReplay replay, List<Program> prelude, Program p, String signature, int maxRuns,
                         long deadlineNanos) {
        int[] runs = {0};
        DeltaDebugging.Result<Program> dd = DeltaDebugging.minimize(prelude, candidate -> {
            if (candidate.isEmpty() || runs[0] >= maxRuns || System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            runs[0]++;
            return replay.fails(candidate, p, signature);
        }, maxRuns);
        return new Result(dd.minimal(), runs[0]);
    }
}
