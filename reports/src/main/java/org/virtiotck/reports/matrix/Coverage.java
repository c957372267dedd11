package org.virtiotck.reports.matrix;

import java.util.List;

/**
 * Coverage over a set of areas, per area and in total.
 *
 * @param mode      how area names select requirements
 * @param areas     one entry per requested area, in request order
 * @param testable  device-testable requirements over all areas
 * @param covered   of those, how many some test exercised
 * @param notRun    of those, how many only skipped or erroring tests cover
 * @param uncovered testable ids no test checks, in catalog order
 * @param notRunIds testable ids only skipped or erroring tests cover, in catalog order
 * @param percent   {@code covered / testable} as a percentage
 */
public record Coverage(CoverageMode mode, List<AreaCoverage> areas, int testable, int covered, int notRun,
                       List<String> uncovered, List<String> notRunIds, double percent) {

    public Coverage {
        areas = List.copyOf(areas);
        uncovered = List.copyOf(uncovered);
        notRunIds = List.copyOf(notRunIds);
    }
}
