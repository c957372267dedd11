package org.virtiotck.fuzz.exec;

import java.util.List;

/**
 * One oracle's complaint about a run.
 *
 * @param signature      what dedups findings: kind plus where (op kind, register, request type), never values
 * @param kind           CRASH, HANG, PROTOCOL, DIFF, CANARY, DISK
 * @param summary        one line, with values
 * @param requirementIds catalog ids the behaviour breaks, when the oracle knows them
 */
public record Verdict(String signature, String kind, String summary, List<String> requirementIds) {
    public Verdict {
        requirementIds = List.copyOf(requirementIds);
    }
}
