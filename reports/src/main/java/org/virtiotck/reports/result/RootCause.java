package org.virtiotck.reports.result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reason tests were {@link Verdict#BLOCKED}: a failed prerequisite or a target that could not be brought
 * back, what its own failure was, and the tests it blocked. Reports lead with these, because they explain the
 * largest share of a bad run at once.
 *
 * @param blocker what blocked the tests (the outcomes' {@code blockedBy})
 * @param failure the blocker's own failure, as the first blocked outcome recorded it
 * @param blocked the outcomes it blocked, in run order
 */
public record RootCause(String blocker, String failure, List<TestOutcome> blocked) {

    public RootCause {
        blocked = List.copyOf(blocked);
    }

    /** The root causes of a run, the one that blocked most tests first. */
    public static List<RootCause> of(List<TestOutcome> outcomes) {
        Map<String, List<TestOutcome>> groups = new LinkedHashMap<>();
        for (TestOutcome o : outcomes) {
            if (o.verdict() == Verdict.BLOCKED) {
                groups.computeIfAbsent(o.blockedBy(), k -> new ArrayList<>()).add(o);
            }
        }
        List<RootCause> causes = new ArrayList<>();
        groups.forEach((k, v) -> causes.add(new RootCause(k, v.get(0).observed(), v)));
        causes.sort((a, b) -> Integer.compare(b.blocked().size(), a.blocked().size()));
        return causes;
    }
}
