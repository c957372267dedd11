package org.virtiotck.reports.cert;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of {@link Certification#evaluate}.
 *
 * @param certified              true when nothing blocks certification at {@code level}
 * @param level                  the level that was evaluated
 * @param blockingTestIds        tests whose FAIL, CRASH, HANG or ERROR counts at this level, in run order
 * @param blockingRequirementIds the requirement ids those tests cite that count at this level, catalog order
 *                               first, then unknown ids
 * @param summary                one line for a console or CI log
 */
public record CertificationResult(boolean certified, CertificationLevel level, List<String> blockingTestIds,
                                  List<String> blockingRequirementIds, String summary) {

    public CertificationResult {
        Objects.requireNonNull(level, "level");
        blockingTestIds = List.copyOf(blockingTestIds);
        blockingRequirementIds = List.copyOf(blockingRequirementIds);
        Objects.requireNonNull(summary, "summary");
    }
}
