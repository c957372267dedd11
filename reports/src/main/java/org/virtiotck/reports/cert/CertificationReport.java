package org.virtiotck.reports.cert;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.JsonFiles;
import org.virtiotck.reports.json.ReportFormatException;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * The certification verdict of one run at one level, as a JSON file next to the run report (the run report itself
 * is unchanged). Layout: {@code schema/certification-report.schema.json}.
 *
 * @param schemaVersion          always {@value #SCHEMA_VERSION}
 * @param tool                   the program that produced the run
 * @param target                 the device under test
 * @param level                  the evaluated level
 * @param certified              the verdict at {@code level}
 * @param summary                one line, as {@link CertificationResult#summary()}
 * @param runComplete            false when the run report has no {@code finishedAt} (the run died)
 * @param runStartedAt           the run's start, ISO-8601
 * @param runFinishedAt          the run's end, ISO-8601, or null
 * @param runReport              path of the run report this was computed from, or null when not written to a file
 * @param certifiedAt            the verdict at every level, so one file answers all three questions
 * @param counts                 verdict counts and per-level tallies
 * @param blocking               the outcomes that block certification at {@code level}, in run order
 * @param blockingRequirementIds the requirement ids those outcomes cite that count at {@code level}
 * @param driverViolations       driver-rule violations the harness committed during the run (informational)
 * @param outcomes               every outcome, condensed: the embedded summary of the run
 */
public record CertificationReport(String schemaVersion, RunReport.Tool tool, RunReport.Target target,
                                  CertificationLevel level, boolean certified, String summary, boolean runComplete,
                                  String runStartedAt, String runFinishedAt, String runReport,
                                  Map<CertificationLevel, Boolean> certifiedAt, Counts counts,
                                  List<BlockingOutcome> blocking, List<String> blockingRequirementIds,
                                  int driverViolations, List<OutcomeSummary> outcomes) {

    public static final String SCHEMA_VERSION = "1";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public CertificationReport {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(runStartedAt, "runStartedAt");
        Objects.requireNonNull(counts, "counts");
        certifiedAt = ordered(certifiedAt);
        blocking = List.copyOf(blocking);
        blockingRequirementIds = List.copyOf(blockingRequirementIds);
        outcomes = List.copyOf(outcomes);
    }

    /**
     * Counts for the report.
     *
     * @param verdicts outcomes per verdict, every verdict present
     * @param byLevel  per level, the outcomes whose own level is exactly that level
     */
    public record Counts(Map<Verdict, Integer> verdicts, Map<CertificationLevel, LevelCounts> byLevel) {
        public Counts {
            var v = new EnumMap<Verdict, Integer>(Verdict.class);
            v.putAll(verdicts);
            verdicts = Collections.unmodifiableMap(v);
            byLevel = ordered(byLevel);
        }
    }

    /** Tally of the outcomes of one level: all of them, and how many passed, blocked, were waived or skipped. */
    public record LevelCounts(int outcomes, int passed, int blocking, int waived, int skipped) {
    }

    /** One outcome that blocks certification, with what a reader needs to act on it. */
    public record BlockingOutcome(String testId, String displayName, Verdict verdict, CertificationLevel level,
                                  Severity severity, List<String> requirementIds, String expected,
                                  String observed, String message, String replay) {
        public BlockingOutcome {
            requirementIds = List.copyOf(requirementIds);
        }
    }

    /** One outcome of the run, condensed. */
    public record OutcomeSummary(String testId, Verdict verdict, CertificationLevel level,
                                 List<String> requirementIds) {
        public OutcomeSummary {
            requirementIds = List.copyOf(requirementIds);
        }
    }

    /**
     * Evaluates {@code report} at {@code level} and condenses it.
     *
     * @param runReportPath where the run report was read from or written to, recorded as given; empty if none
     */
    public static CertificationReport of(RunReport report, RequirementRegistry registry, CertificationLevel level,
                                         Optional<Path> runReportPath) {
        CertificationResult result = Certification.evaluate(report, registry, level);
        Map<CertificationLevel, Boolean> at = new EnumMap<>(CertificationLevel.class);
        for (CertificationLevel l : CertificationLevel.values()) {
            at.put(l, l == level ? result.certified() : Certification.evaluate(report, registry, l).certified());
        }
        Map<CertificationLevel, int[]> tallies = new EnumMap<>(CertificationLevel.class);
        for (CertificationLevel l : CertificationLevel.values()) {
            tallies.put(l, new int[5]);
        }
        List<BlockingOutcome> blocking = new java.util.ArrayList<>();
        List<OutcomeSummary> outcomes = new java.util.ArrayList<>();
        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, 0);
        }
        for (TestOutcome o : report.outcomes()) {
            CertificationLevel l = Certification.levelOf(o, registry);
            verdicts.merge(o.verdict(), 1, Integer::sum);
            int[] t = tallies.get(l);
            t[0]++;
            switch (o.verdict()) {
                case PASS -> t[1]++;
                case WAIVED -> t[3]++;
                case SKIP -> t[4]++;
                default -> t[2]++;
            }
            outcomes.add(new OutcomeSummary(o.testId(), o.verdict(), l, o.requirementIds()));
            if (Certification.blocks(o, registry, level)) {
                blocking.add(new BlockingOutcome(o.testId(), o.displayName(), o.verdict(), l, o.severity(),
                        o.requirementIds(), o.expected(), o.observed(), o.message(), o.replay()));
            }
        }
        Map<CertificationLevel, LevelCounts> byLevel = new EnumMap<>(CertificationLevel.class);
        tallies.forEach((l, t) -> byLevel.put(l, new LevelCounts(t[0], t[1], t[2], t[3], t[4])));
        return new CertificationReport(SCHEMA_VERSION, report.tool(), report.target(), level, result.certified(),
                result.summary(), report.finishedAt() != null, report.startedAt().toString(),
                report.finishedAt() == null ? null : report.finishedAt().toString(),
                runReportPath.map(Path::toString).orElse(null), at, new Counts(verdicts, byLevel), blocking,
                result.blockingRequirementIds(), report.driverViolations().size(), outcomes);
    }

    public byte[] toJson() {
        return JsonFiles.bytes(MAPPER, this, "certification report");
    }

    /** Writes the report atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson());
    }

    public static CertificationReport read(Path file) throws IOException {
        CertificationReport r = JsonFiles.read(MAPPER, file, CertificationReport.class, "certification report");
        if (!SCHEMA_VERSION.equals(r.schemaVersion())) {
            throw new ReportFormatException(file + ": not a version-" + SCHEMA_VERSION + " certification report");
        }
        return r;
    }

    private static <V> Map<CertificationLevel, V> ordered(Map<CertificationLevel, V> map) {
        var copy = new EnumMap<CertificationLevel, V>(CertificationLevel.class);
        copy.putAll(map);
        return Collections.unmodifiableMap(copy);
    }
}
