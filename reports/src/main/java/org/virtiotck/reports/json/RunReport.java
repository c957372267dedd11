package org.virtiotck.reports.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.matrix.TraceabilityMatrix;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * Everything one TCK run produced, as written to {@code report.json}. The layout is described by
 * {@code schema/run-report.schema.json}; bump {@link #SCHEMA_VERSION} when changing it incompatibly.
 *
 * @param schemaVersion    always {@value #SCHEMA_VERSION} for this layout
 * @param tool             the program that produced the report
 * @param target           the device under test
 * @param startedAt        when the run began
 * @param finishedAt       when the run ended, or null while it is still going (or if it died)
 * @param seed             run-wide random seed, or null
 * @param outcomes         test outcomes in the order they finished
 * @param matrix           traceability summary of the outcomes
 * @param verdictCounts    number of outcomes per verdict; every verdict is present
 * @param driverViolations driver-side rule breaks a strict device model recorded, one line each
 */
public record RunReport(String schemaVersion, Tool tool, Target target, Instant startedAt, Instant finishedAt,
                        String seed, List<TestOutcome> outcomes, MatrixSummary matrix,
                        Map<Verdict, Integer> verdictCounts, List<String> driverViolations) {

    public static final String SCHEMA_VERSION = "1";

    public RunReport {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(matrix, "matrix");
        outcomes = List.copyOf(outcomes);
        verdictCounts = ordered(verdictCounts);
        driverViolations = List.copyOf(driverViolations);
    }

    /** The program that wrote the report. */
    public record Tool(String name, String version) {
        public Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
        }
    }

    /** The device under test as the report names it. */
    public record Target(String uri, String name, String version) {
        public Target {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
        }
    }

    /** A report whose matrix summary and verdict counts are computed from the outcomes. */
    public static RunReport of(RequirementRegistry registry, Tool tool, Target target, Instant startedAt,
                               Instant finishedAt, String seed, List<TestOutcome> outcomes,
                               List<String> driverViolations) {
        MatrixSummary matrix = MatrixSummary.of(TraceabilityMatrix.build(registry, outcomes));
        return new RunReport(SCHEMA_VERSION, tool, target, startedAt, finishedAt, seed, outcomes, matrix,
                countVerdicts(outcomes), driverViolations);
    }

    private static Map<Verdict, Integer> countVerdicts(List<TestOutcome> outcomes) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            counts.put(v, 0);
        }
        outcomes.forEach(o -> counts.merge(o.verdict(), 1, Integer::sum));
        return counts;
    }

    private static Map<Verdict, Integer> ordered(Map<Verdict, Integer> counts) {
        Map<Verdict, Integer> copy = new EnumMap<>(Verdict.class);
        copy.putAll(counts);
        return Collections.unmodifiableMap(copy);
    }

    public byte[] toJson() {
        return JsonFiles.bytes(Json.MAPPER, this, "run report");
    }

    /** Writes the report atomically: readers see the previous file or this one, never a mix. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson());
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws ReportFormatException with a one-line message when the file is not a version-1 run report
     */
    public static RunReport read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        RunReport report;
        try {
            report = Json.MAPPER.readValue(bytes, RunReport.class);
        } catch (JacksonException e) {
            throw new ReportFormatException(file + ": not a valid run report" + where(e) + ": " + reason(e), e);
        }
        if (report == null) {
            throw new ReportFormatException(file + ": not a valid run report: the file holds JSON null");
        }
        if (!SCHEMA_VERSION.equals(report.schemaVersion())) {
            throw new ReportFormatException(file + ": unsupported schemaVersion \"" + report.schemaVersion()
                    + "\", this reader understands \"" + SCHEMA_VERSION + "\"");
        }
        return report;
    }

    private static String where(JacksonException e) {
        var path = new StringBuilder();
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        String field = path.isEmpty() ? "" : " at " + path;
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? field
                : field + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** Jackson messages span lines and quote source snippets; keep the first line of the innermost cause. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root instanceof JacksonException j ? j.getOriginalMessage() : root.getMessage();
        if (message == null) {
            message = root.getClass().getSimpleName();
        }
        // Drop Jackson's hint about which of its switches produced the error: it means nothing to a reader.
        return message.lines().findFirst().orElse("").replaceAll(";? *`DeserializationFeature\\.[A-Z_]+`.*$", "")
                .strip();
    }
}
