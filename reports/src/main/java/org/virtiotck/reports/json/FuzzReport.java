package org.virtiotck.reports.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of a fuzz campaign (schema {@code reports/.../schema/fuzz-report.schema.json}, id
 * {@value #SCHEMA}): the one model of the file, which the fuzzer writes (rewritten atomically while the campaign
 * runs, so it is always complete and valid) and the HTML report and {@code certify --fuzz-report} read.
 *
 * <p>Programs are the fuzzer's own JSON ({@code {"ops": [...]}}); this module keeps them as trees.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FuzzReport(String schema, Tool tool, TargetDesc target, OracleDesc oracle, String seed, Shard shard,
                         int jobs, String startedAt, String updatedAt, boolean finished, long durationMillis,
                         Long plannedDurationMillis, Long plannedExecs, long execs, double execsPerSecond,
                         CoverageDesc coverage, List<Sample> series, List<FindingEntry> findings, String replay,
                         List<String> mergedFrom, double roundTripsPerExec, long triageMillis,
                         List<FlakyEntry> flaky, List<WaivedEntry> waived) {

    public static final String SCHEMA = "virtio-tck/fuzz-report/2";
    /** What every version of the schema id starts with ({@code virtio-tck/fuzz-report/1} is read as well). */
    public static final String SCHEMA_FAMILY = "virtio-tck/fuzz-report/";
    public static final String FILE_NAME = "fuzz-report.json";

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public record Tool(String name, String version, String java) {
    }

    public record TargetDesc(String uri, String name, String version, Map<String, String> details) {
    }

    public record OracleDesc(String name, String version, String model) {
    }

    public record Shard(int index, int count) {
    }

    /**
     * @param features       distinct behaviour features seen (target and reference observations)
     * @param corpus         programs kept because they showed a new feature
     * @param driverRules    driver-rule ids the reference model saw broken (model coverage)
     * @param needsResetKinds distinct reasons the reference model entered DEVICE_NEEDS_RESET
     */
    public record CoverageDesc(long features, long corpus, List<String> driverRules, long needsResetKinds) {
    }

    public record Sample(long elapsedMillis, long execs, double execsPerSecond, long coverage, long corpus,
                         long findings) {
    }

    /**
     * A finding: it failed the same way on every one of {@code replays} replays, each on a fresh target.
     *
     * @param severity   CRITICAL (corruption), HIGH (crash, hang, wedge), MEDIUM (a MUST broken), LOW (a SHOULD)
     * @param reproduced the reported (minimized, or else original) program fails the same way from a fresh target
     * @param program    the reported program, in the fuzzer's JSON
     * @param prelude    the programs that must run before it on the same target, oldest first, when it reproduces
     *                   only after them (null, and absent from the file, when it reproduces alone)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FindingEntry(String id, String signature, String kind, String summary, List<String> requirementIds,
                               long foundAtMillis, long execsAtFind, long hits, boolean reproduced, int originalOps,
                               int minimizedOps, int minimizeRuns, JsonNode program, String choices, String replay,
                               String regressionTest, String severity, int replays, int reproducedReplays,
                               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<JsonNode> prelude) {
        public FindingEntry withHits(long n) {
            return new FindingEntry(id, signature, kind, summary, requirementIds, foundAtMillis, execsAtFind, n,
                    reproduced, originalOps, minimizedOps, minimizeRuns, program, choices, replay, regressionTest,
                    severity, replays, reproducedReplays, prelude);
        }
    }

    /**
     * An oracle complaint that did not fail on every replay; never a finding.
     *
     * @param reproducedReplays        how many replays of the program alone failed the same way
     * @param rate                     the better of the two rates, alone and after the prelude, over {@code replays}
     * @param preludeReproducedReplays how many replays after the prelude failed so (null: no prelude was tried)
     * @param prelude                  the programs that ran before it on its job's target, oldest first (null: none)
     */
    public record FlakyEntry(String signature, String kind, String summary, List<String> requirementIds,
                             String severity, long hits, int replays, int reproducedReplays, double rate,
                             JsonNode program,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Integer preludeReproducedReplays,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<JsonNode> prelude) {
        public FlakyEntry withHits(long n) {
            return new FlakyEntry(signature, kind, summary, requirementIds, severity, n, replays, reproducedReplays,
                    rate, program, preludeReproducedReplays, prelude);
        }
    }

    /** A complaint whose requirement ids the waiver file covers: a known deviation, counted, not reported as new. */
    public record WaivedEntry(String signature, String kind, String summary, List<String> requirementIds,
                              String severity, long hits, String reason) {
    }

    public byte[] toJson() {
        return JsonFiles.bytes(MAPPER, this, "fuzz report");
    }

    /** Writes the report atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson());
    }

    /**
     * Reads a report of any version of the schema.
     *
     * @throws ReportFormatException with a one-line message when the file is not a fuzz report
     */
    public static FuzzReport read(Path file) throws IOException {
        FuzzReport r;
        try {
            r = MAPPER.readValue(Files.readAllBytes(file), FuzzReport.class);
        } catch (JacksonException e) {
            throw new ReportFormatException(file + ": not a JSON fuzz report: " + e.getOriginalMessage(), e);
        }
        if (r == null || r.schema() == null || !r.schema().startsWith(SCHEMA_FAMILY)) {
            throw new ReportFormatException(file + ": not a fuzz report (schema " + SCHEMA_FAMILY + "N expected)");
        }
        return r;
    }
}
