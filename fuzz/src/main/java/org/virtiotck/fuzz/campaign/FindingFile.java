package org.virtiotck.fuzz.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.reports.json.FuzzReport;

/**
 * A replayable reproducer: {@code findings/<id>.json}, the minimized program with what it showed, and its
 * {@code prelude} when it has one: the programs to run first on the same freshly started target, oldest first
 * (absent when the program reproduces alone, so files without it stay valid). {@code fuzz replay} reads these, a
 * bare program ({@code {"ops": [...]}}) or a whole report (all its findings).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FindingFile(String schema, String id, String target, String signature, String kind, String summary,
                          Program program, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Program> prelude) {
    public static final String SCHEMA = "virtio-tck/fuzz-finding/1";

    public FindingFile {
        prelude = prelude == null ? List.of() : List.copyOf(prelude);
    }

    public static FindingFile of(FuzzReport.FindingEntry e, String target) {
        return new FindingFile(SCHEMA, e.id(), target, e.signature(), e.kind(), e.summary(),
                ProgramJson.fromTree(e.program()),
                e.prelude() == null ? List.of() : e.prelude().stream().map(ProgramJson::fromTree).toList());
    }

    public byte[] toJson() {
        try {
            return FuzzReport.MAPPER.writeValueAsBytes(this);
        } catch (JacksonException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the findings in a finding file, a bare program, or a fuzz report. */
    public static List<FindingFile> readAny(Path file) throws IOException {
        var tree = FuzzReport.MAPPER.readTree(Files.readAllBytes(file));
        if (tree == null || !tree.isObject()) {
            throw new IOException(file + ": not a finding, program or fuzz report");
        }
        try {
            if (tree.has("findings") && tree.has("schema")) {
                FuzzReport r = FuzzReport.MAPPER.treeToValue(tree, FuzzReport.class);
                List<FindingFile> out = new ArrayList<>();
                for (FuzzReport.FindingEntry e : r.findings()) {
                    out.add(of(e, r.target() == null ? null : r.target().uri()));
                }
                return out;
            }
            if (tree.has("program")) {
                return List.of(FuzzReport.MAPPER.treeToValue(tree, FindingFile.class));
            }
            if (tree.has("ops")) {
                return List.of(new FindingFile(SCHEMA, file.getFileName().toString(), null, null, null, null,
                        FuzzReport.MAPPER.treeToValue(tree, Program.class), List.of()));
            }
        } catch (JacksonException e) {
            throw new IOException(file + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        throw new IOException(file + ": not a finding, program or fuzz report");
    }
}
