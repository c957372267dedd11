package org.virtiotck.fuzz.exec;

import java.util.List;
import org.virtiotck.tck.spi.TargetFault;

/**
 * One oracle's complaint about a run (named apart from the suites' {@code org.virtiotck.reports.result.Verdict}:
 * a complaint becomes a finding only when it reproduces, see {@code FindingVerifier}).
 *
 * @param signature      what dedups findings: kind plus where (op kind, register, request type), never values
 * @param kind           which oracle complained (a target fault's kind, or the differential, canary or disk oracle)
 * @param summary        one line, with values
 * @param requirementIds catalog ids the behaviour breaks, when the oracle knows them
 */
public record Complaint(String signature, Kind kind, String summary, List<String> requirementIds) {
    public Complaint {
        requirementIds = List.copyOf(requirementIds);
    }

    /**
     * Which oracle complained. {@link #name()} is the string the fuzz report and finding files carry (the
     * {@code kind} enum of {@code fuzz-report.schema.json}).
     */
    public enum Kind {
        /** The target process or peer is gone ({@link TargetFault.Kind#CRASHED}). */
        CRASHED,
        /** A target call did not return within its bound ({@link TargetFault.Kind#HUNG}). */
        HUNG,
        /** The target answered something its adapter cannot understand ({@link TargetFault.Kind#PROTOCOL}). */
        PROTOCOL,
        /** The differential oracle: the target's observation disagrees with the reference's. */
        DIFF,
        /** The canary oracle: guest memory changed where no device may write. */
        CANARY,
        /** The disk oracle: the target's disk differs from the reference's after a write. */
        DISK;

        /** The complaint kind of a target fault. */
        public static Kind of(TargetFault.Kind fault) {
            return switch (fault) {
                case CRASHED -> CRASHED;
                case HUNG -> HUNG;
                case PROTOCOL -> PROTOCOL;
            };
        }
    }
}
