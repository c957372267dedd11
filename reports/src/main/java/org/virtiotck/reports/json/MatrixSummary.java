package org.virtiotck.reports.json;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.virtiotck.reports.matrix.Coverage;
import org.virtiotck.reports.matrix.CoverageMode;
import org.virtiotck.reports.matrix.RequirementStatus;
import org.virtiotck.reports.matrix.TraceabilityMatrix;

/**
 * The traceability matrix condensed for the run report: requirement counts per aggregate status and coverage of
 * the default areas, both strictly by area and by area family.
 *
 * @param requirementsByStatus  how many catalog requirements have each aggregate status
 * @param coverageByArea        coverage with {@link CoverageMode#AREA}
 * @param coverageByFamily      coverage with {@link CoverageMode#FAMILY}
 * @param unknownRequirementIds ids outcomes cite that the catalog does not know
 */
public record MatrixSummary(Map<RequirementStatus, Integer> requirementsByStatus, Coverage coverageByArea,
                            Coverage coverageByFamily, List<String> unknownRequirementIds) {

    public MatrixSummary {
        var ordered = new EnumMap<RequirementStatus, Integer>(RequirementStatus.class);
        ordered.putAll(requirementsByStatus);
        requirementsByStatus = Collections.unmodifiableMap(ordered);
        unknownRequirementIds = List.copyOf(unknownRequirementIds);
    }

    public static MatrixSummary of(TraceabilityMatrix matrix) {
        return new MatrixSummary(matrix.statusCounts(), matrix.coverage(CoverageMode.AREA),
                matrix.coverage(CoverageMode.FAMILY), matrix.unknownRequirementIds());
    }
}
