package org.virtiotck.fuzz.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramCodec;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.fuzz.report.RegressionTestExporter;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.FuzzReport;

/**
 * Turns the verifier's verdicts into what a campaign reports: the report's finding and flaky entries, the progress
 * lines, and a finding's reproducer files ({@code findings/<id>.json} and the JUnit export), each with the prelude
 * of earlier programs when the finding needs one.
 */
final class FindingRecords {
    private final CampaignConfig cfg;

    FindingRecords(CampaignConfig cfg) {
        this.cfg = cfg;
    }

    /** The report entry of a finding ({@code r} null: before minimizing, with the original program). */
    FuzzReport.FindingEntry finding(FindingVerifier.Candidate c, int replays, List<Program> prelude,
                                    Minimizer.Result r) {
        Complaint v = c.complaint();
        Program shown = shown(c, r);
        String id = Campaign.findingId(v.signature());
        String replay = "fuzz replay " + (cfg.out() == null ? "" : cfg.out().resolve("findings") + "/") + id
                + ".json --target '" + cfg.targetUri() + "'";
        List<JsonNode> pre = prelude.stream().map(ProgramJson::toTree).toList();
        return new FuzzReport.FindingEntry(id, v.signature(), v.kind().name(),
                complaint(c, r).summary() + needs(prelude.size(), c.prelude().size()), v.requirementIds(),
                c.foundAtMillis(), c.execsAtFind(), 1, true, c.program().size(), shown.size(), r == null ? 0 : r.runs(),
                ProgramJson.toTree(shown), ProgramCodec.encode(shown).encode(), replay,
                RegressionTestExporter.className(id) + ".java", Triage.severity(v).name(), replays, replays,
                pre.isEmpty() ? null : pre);
    }

    /** What a finding's summary adds when it needs {@code needed} of the {@code ran} programs run before it. */
    static String needs(int needed, int ran) {
        if (needed == 0) {
            return "";
        }
        return " (needs " + needed + " earlier program(s) run first on the same target"
                + (needed < ran ? ", of the " + ran + " its job ran before it" : "") + ": the finding's prelude)";
    }

    private static Program shown(FindingVerifier.Candidate c, Minimizer.Result r) {
        return r == null ? c.program() : r.program();
    }

    private static Complaint complaint(FindingVerifier.Candidate c, Minimizer.Result r) {
        Complaint v = c.complaint();
        return r != null && r.complaint() != null && r.complaint().signature().equals(v.signature())
                ? r.complaint() : v;
    }

    /** Writes the finding's reproducer and its JUnit export under {@code out/findings} (no files without out). */
    void write(FindingVerifier.Candidate c, List<Program> prelude, Minimizer.Result r,
               FuzzReport.FindingEntry entry) {
        if (cfg.out() == null) {
            return;
        }
        try {
            Path dir = cfg.out().resolve("findings");
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(entry.id() + ".json"), FindingFile.of(entry, cfg.targetUri()).toJson());
            AtomicFiles.write(dir.resolve(entry.regressionTest()), RegressionTestExporter.source("", entry.id(),
                    cfg.targetUri(), entry.signature(), entry.summary(), shown(c, r), prelude)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The progress lines of a minimized finding. */
    String findingLines(FindingVerifier.Candidate c, List<Program> prelude, FuzzReport.FindingEntry entry) {
        return "[fuzz] finding " + entry.id() + " " + entry.severity() + " " + entry.signature() + " "
                + entry.requirementIds() + " (reproduced " + entry.replays() + "/" + entry.replays()
                + (prelude.isEmpty() ? "" : " after " + (prelude.size() < c.prelude().size() ? prelude.size()
                + " of the " + c.prelude().size() : prelude.size()) + " earlier program(s)") + ", " + entry.minimizedOps() + " ops after minimizing "
                + entry.originalOps() + "): " + entry.summary() + "\n[fuzz]   replay: " + entry.replay();
    }

    /** The report entry of a flaky complaint ({@code afterPrelude} -1: no prelude was tried). */
    FuzzReport.FlakyEntry flaky(FindingVerifier.Candidate c, int replays, int alone, int afterPrelude) {
        Complaint v = c.complaint();
        boolean tried = afterPrelude >= 0;
        List<JsonNode> pre = tried ? c.prelude().stream().map(ProgramJson::toTree).toList() : null;
        return new FuzzReport.FlakyEntry(v.signature(), v.kind().name(), v.summary(), v.requirementIds(),
                Triage.severity(v).name(), 1, replays, alone,
                Math.round(Math.max(alone, afterPrelude) * 1000.0 / replays) / 1000.0, ProgramJson.toTree(c.program()),
                tried ? afterPrelude : null, pre);
    }

    /** The progress line of a flaky complaint. */
    static String flakyLine(FindingVerifier.Candidate c, FuzzReport.FlakyEntry f) {
        return "[fuzz] flaky (not a finding) " + f.signature() + ": reproduced " + f.reproducedReplays() + "/"
                + f.replays() + (f.preludeReproducedReplays() == null ? "" : " alone and "
                + f.preludeReproducedReplays() + "/" + f.replays() + " after the " + c.prelude().size()
                + " program(s) run before it") + " on fresh targets: " + f.summary();
    }
}
