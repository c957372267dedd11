package org.virtiotck.reports.matrix;

import java.util.List;

/**
 * Coverage of the device-testable requirements (actor device, testable yes or partly) of one area or family.
 * {@code covered + notRun + uncovered.size() == testable}.
 *
 * @param area      area or family name
 * @param testable  number of device-testable requirements
 * @param covered   requirements with at least one covering test that reached a verdict (PASS, FAIL, WAIVED, CRASH,
 *                  HANG)
 * @param notRun    requirements whose covering tests were all skipped or ended in harness errors
 * @param uncovered ids no test checks at all
 * @param percent   {@code covered / testable} as a percentage; 100 when there is nothing to cover
 */
public record AreaCoverage(String area, int testable, int covered, int notRun, List<String> uncovered,
                           double percent) {

    public AreaCoverage {
        uncovered = List.copyOf(uncovered);
    }

    static double percent(int covered, int testable) {
        return testable == 0 ? 100.0 : 100.0 * covered / testable;
    }
}
