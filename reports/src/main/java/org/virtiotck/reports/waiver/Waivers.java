package org.virtiotck.reports.waiver;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.virtiotck.reports.result.TestOutcome;

/**
 * A set of waivers to apply to outcomes.
 *
 * <p>A failing outcome is waived only when <em>every</em> requirement it checks is waived for that test: one test
 * often checks several ids, and a waiver for one of them must not hide a failure of another.
 */
public final class Waivers {

    private final List<Waiver> waivers;

    public Waivers(List<Waiver> waivers) {
        this.waivers = List.copyOf(waivers);
    }

    public static Waivers none() {
        return new Waivers(List.of());
    }

    public List<Waiver> all() {
        return waivers;
    }

    /**
     * The outcome with a FAIL, CRASH or HANG turned into WAIVED (original verdict kept in
     * {@link TestOutcome#waivedFrom()}) when waivers cover all of its requirement ids; otherwise unchanged.
     */
    public TestOutcome apply(TestOutcome outcome) {
        if (!outcome.verdict().isWaivable() || outcome.requirementIds().isEmpty()) {
            return outcome;
        }
        Set<String> reasons = new LinkedHashSet<>();
        for (String id : outcome.requirementIds()) {
            Optional<Waiver> match = waivers.stream().filter(w -> w.covers(id, outcome.testId())).findFirst();
            if (match.isEmpty()) {
                return outcome;
            }
            reasons.add(match.get().reason());
        }
        return outcome.waive(String.join("; ", reasons));
    }
}
