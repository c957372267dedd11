package org.virtiotck.fuzz.campaign;

import org.virtiotck.reports.json.FuzzReport;

/**
 * A complaint as the campaign tracks it: verified into a finding, found flaky, or waived. A flaky one is
 * verified again, up to {@value #VERIFICATIONS} times in all, at later hits that ran after other programs (their
 * history may hold what it needs).
 */
final class FindingState {
    static final int VERIFICATIONS = 3;
    FuzzReport.FindingEntry entry;
    FuzzReport.FlakyEntry flaky;
    FuzzReport.WaivedEntry waived;
    long hits = 1;
    final String signature;
    int verifications = 1;
    boolean verifying = true;

    FindingState(String signature) {
        this.signature = signature;
    }

    /** Whether a hit with {@code earlier} programs before it is to be verified again (then it is under way). */
    boolean verifyAgain(int earlier) {
        if (flaky == null || entry != null || verifying || earlier == 0 || verifications >= VERIFICATIONS) {
            return false;
        }
        verifications++;
        verifying = true;
        return true;
    }
}
