package org.virtiotck.reports.matrix;

import java.util.List;
import org.virtiotck.reports.Requirement;

/**
 * One line of the traceability matrix.
 *
 * @param requirement the catalog entry
 * @param status      aggregate of the covering tests, {@link RequirementStatus#NOT_COVERED} when there are none
 * @param testIds     distinct ids of the covering tests, in the order their outcomes arrived
 * @param exercised   true when at least one covering test reached a verdict about the target
 */
public record RequirementRow(Requirement requirement, RequirementStatus status, List<String> testIds,
                             boolean exercised) {

    public RequirementRow {
        testIds = List.copyOf(testIds);
    }

    public String id() {
        return requirement.id();
    }
}
