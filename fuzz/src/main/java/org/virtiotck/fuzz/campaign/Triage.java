package org.virtiotck.fuzz.campaign;

import static org.virtiotck.fuzz.exec.Complaint.Kind.CANARY;
import static org.virtiotck.fuzz.exec.Complaint.Kind.DISK;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.waiver.Waiver;
import org.virtiotck.reports.waiver.Waivers;

/**
 * Classifies an oracle complaint the way the suites classify a failure: a severity from the same model
 * (CRITICAL corrupted guest memory or disk data, HIGH crash, hang or wedge, MEDIUM a broken MUST, LOW a broken
 * SHOULD), and whether a waiver file already accepts it as a known deviation.
 */
public final class Triage {
    private static volatile RequirementRegistry registry;

    private Triage() {
    }

    static Severity severity(Complaint v) {
        if (v.kind() == CANARY || v.kind() == DISK || v.signature().equals("diff:in-data")) {
            return Severity.CRITICAL;
        }
        if (v.signature().startsWith("fault:") || v.signature().equals("diff:notify:needs-reset")) {
            return Severity.HIGH; // a crash, a hang, or a device that stops serving a driver that kept the rules
        }
        boolean must = v.requirementIds().stream().map(id -> registry().find(id)).flatMap(Optional::stream)
                .map(Requirement::level).anyMatch(l -> l.name().startsWith("MUST"));
        return must ? Severity.MEDIUM : Severity.LOW;
    }

    /**
     * The reasons of the waivers that cover every requirement id of {@code v}, or null when one id is not covered.
     * A waiver whose test glob starts with {@code fuzz#} covers only complaints whose {@link #testId test id}
     * matches it; any other waiver covers the id in every complaint (its glob names a suite test, which a fuzz
     * program is not: the deviation it accepts is the requirement's).
     */
    public static String waivedBy(Complaint v, Waivers waivers) {
        if (v.requirementIds().isEmpty() || waivers.all().isEmpty()) {
            return null;
        }
        Set<String> reasons = new LinkedHashSet<>();
        for (String id : v.requirementIds()) {
            Waiver match = null;
            for (Waiver w : waivers.all()) {
                boolean fuzzOnly = w.testPattern() != null && w.testPattern().startsWith("fuzz#");
                if (w.requirementId().equals(id) && (!fuzzOnly || w.covers(id, testId(v)))) {
                    match = w;
                    break;
                }
            }
            if (match == null) {
                return null;
            }
            reasons.add(id + ": " + match.reason());
        }
        return String.join("; ", reasons);
    }

    /** {@code fuzz#} and the signature with ':' written '.' (waiver globs cannot hold ':'). */
    static String testId(Complaint v) {
        return "fuzz#" + v.signature().replace(':', '.');
    }

    private static RequirementRegistry registry() {
        RequirementRegistry r = registry;
        if (r == null) {
            r = RequirementRegistry.load();
            registry = r;
        }
        return r;
    }
}
