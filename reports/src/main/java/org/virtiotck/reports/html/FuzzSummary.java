package org.virtiotck.reports.html;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.FuzzReport;
import org.virtiotck.reports.json.JsonFiles;
import org.virtiotck.reports.json.ReportFormatException;

/**
 * What a fuzzing campaign against one target produced, condensed for the HTML report. Plain JSON through
 * {@link #toJson()} / {@link #read(Path)} so a campaign can leave it next to its corpus.
 *
 * @param target         target URI
 * @param seed           campaign seed, or null
 * @param durationMillis wall time of the campaign
 * @param execs          total executions
 * @param execsPerSecond executions per second over time
 * @param coverage       coverage (e.g. distinct edges or device states) over time
 * @param findings       cumulative number of findings over time
 * @param findingList    the findings, in the order they were found
 */
public record FuzzSummary(String target, String seed, long durationMillis, long execs, List<Sample> execsPerSecond,
                          List<Sample> coverage, List<Sample> findings, List<Finding> findingList) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public FuzzSummary {
        Objects.requireNonNull(target, "target");
        if (durationMillis < 0 || execs < 0) {
            throw new IllegalArgumentException("durationMillis and execs must be >= 0");
        }
        execsPerSecond = List.copyOf(execsPerSecond);
        coverage = List.copyOf(coverage);
        findings = List.copyOf(findings);
        findingList = List.copyOf(findingList);
    }

    /** One point of a time series: {@code value} at {@code elapsedMillis} into the campaign. */
    public record Sample(long elapsedMillis, double value) {
    }

    /**
     * One finding of the campaign.
     *
     * @param id             stable id, e.g. the crash file name
     * @param kind           FAIL, CRASH, HANG or whatever the fuzzer calls it
     * @param summary        one line
     * @param requirementIds requirements the finding breaks, possibly empty
     * @param foundAtMillis  when it was found, into the campaign
     * @param reproducer     a command that replays it, or null
     */
    public record Finding(String id, String kind, String summary, List<String> requirementIds, long foundAtMillis,
                          String reproducer) {
        public Finding {
            Objects.requireNonNull(id, "id");
            kind = Objects.requireNonNullElse(kind, "");
            summary = Objects.requireNonNullElse(summary, "");
            requirementIds = requirementIds == null ? List.of() : List.copyOf(requirementIds);
        }
    }

    /**
     * Condenses a campaign report written by the fuzzer ({@value FuzzReport#FILE_NAME}, schema
     * {@code virtio-tck/fuzz-report/1} or {@code /2}) for the HTML report.
     *
     * @throws ReportFormatException when the file is not such a report
     */
    public static FuzzSummary fromFuzzReport(Path file) throws IOException {
        return of(FuzzReport.read(file));
    }

    /** Condenses a campaign report for the HTML report. */
    public static FuzzSummary of(FuzzReport report) {
        List<Sample> rate = new ArrayList<>();
        List<Sample> coverage = new ArrayList<>();
        List<Sample> found = new ArrayList<>();
        for (FuzzReport.Sample s : orEmpty(report.series())) {
            rate.add(new Sample(s.elapsedMillis(), s.execsPerSecond()));
            coverage.add(new Sample(s.elapsedMillis(), s.coverage()));
            found.add(new Sample(s.elapsedMillis(), s.findings()));
        }
        List<Finding> findings = new ArrayList<>();
        for (FuzzReport.FindingEntry f : orEmpty(report.findings())) {
            findings.add(new Finding(Objects.requireNonNullElse(f.id(), ""), f.kind(), f.summary(),
                    f.requirementIds(), f.foundAtMillis(), f.replay()));
        }
        String target = report.target() == null ? "" : Objects.requireNonNullElse(report.target().uri(), "");
        return new FuzzSummary(target, report.seed(), report.durationMillis(), report.execs(), rate, coverage, found,
                findings);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    public byte[] toJson() {
        return JsonFiles.bytes(MAPPER, this, "fuzz summary");
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson());
    }

    public static FuzzSummary read(Path file) throws IOException {
        return JsonFiles.read(MAPPER, file, FuzzSummary.class, "fuzz summary");
    }
}
