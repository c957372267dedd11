package org.virtiotck.fuzz.exec;

import java.util.List;

/**
 * One oracle's complaint about a run (named apart from the suites' {@code org.virtiotck.reports.result.Verdict}:
 * a complaint becomes a finding only when it reproduces, see {@code FindingVerifier}).
 *
 * @param signature      what dedups findings: kind plus where (op kind, register, request type), never values
 * @param kind           a target fault's kind (CRASHED, HUNG, PROTOCOL), or DIFF, CANARY, DISK
 * @param summary        one line, with values
 * @param requirementIds catalog ids the behaviour breaks, when the oracle knows them
 */
public record Complaint(String signature, String kind, String summary, List<String> requirementIds) {
    public Complaint {
        requirementIds = List.copyOf(requirementIds);
    }
}
