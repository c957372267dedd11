package org.virtiotck.reports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/** Small registries and outcomes for tests that need exact, hand-countable figures. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A registry from rows {@code id actor level testable}, e.g. {@code "blk.dev.1 device MUST yes"}. */
    public static RequirementRegistry registry(String... rows) {
        var text = new StringBuilder("id\tsection\ttitle\tactor\tlevel\ttestable\tdescriptive\tsince\tsummary\n");
        for (String row : rows) {
            String[] f = row.split(" ");
            text.append(String.join("\t", f[0], "9.9", "Title", f[1], f[2].replace('_', ' '), f[3], "false",
                    "1.2", "Summary of " + f[0])).append('\n');
        }
        try {
            return RequirementRegistry.parse(
                    new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), "fixture");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestOutcome outcome(String testId, Verdict verdict, String... requirementIds) {
        return new TestOutcome(testId, testId, "suite", List.of(requirementIds), verdict,
                verdict == Verdict.PASS ? Severity.NONE : Severity.HIGH, "expected", "observed", "", null, null,
                1, "reference:modern");
    }
}
