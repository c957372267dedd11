package org.virtiotck.tck.mutation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.RequirementRegistry;

class MutationSummaryTest {

    @TempDir
    Path dir;

    private static String mutation(String status, String cls, int line, int index, String killer) {
        return "<mutation detected='" + !status.equals("SURVIVED") + "' status='" + status + "' numberOfTestsRun='1'>"
                + "<sourceFile>X.java</sourceFile><mutatedClass>" + cls + "</mutatedClass>"
                + "<mutatedMethod>m</mutatedMethod><methodDescription>()V</methodDescription>"
                + "<lineNumber>" + line + "</lineNumber>"
                + "<mutator>org.pitest.mutationtest.engine.gregor.mutators.MathMutator</mutator>"
                + "<indexes><index>" + index + "</index></indexes><blocks><block>0</block></blocks>"
                + "<killingTest>" + killer + "</killingTest><description>Replaced addition</description></mutation>\n";
    }

    private Path xml(String name, String... mutations) throws IOException {
        Path p = dir.resolve(name + ".xml");
        Files.writeString(p, "<?xml version=\"1.0\"?>\n<mutations partial='true'>\n" + String.join("", mutations)
                + "</mutations>\n");
        return p;
    }

    @Test
    void aMutantKilledInAnyConfigurationIsKilledAndSurvivalBeatsNoCoverage() throws IOException {
        MutationSummary s = new MutationSummary();
        s.add("modern", xml("modern",
                mutation("SURVIVED", "a.A", 10, 1, ""),
                mutation("NO_COVERAGE", "a.A", 11, 1, ""),
                mutation("NO_COVERAGE", "a.B", 5, 1, ""),
                mutation("KILLED", "a.B", 6, 1, "t1")));
        s.add("legacy", xml("legacy",
                mutation("KILLED", "a.A", 10, 1, "t2"),
                mutation("SURVIVED", "a.A", 11, 1, ""),
                mutation("NO_COVERAGE", "a.B", 5, 1, ""),
                mutation("TIMED_OUT", "a.B", 6, 2, "")));

        MutationSummary.Counts t = s.total();
        assertThat(t.generated()).isEqualTo(5);
        assertThat(t.detected()).isEqualTo(3);
        assertThat(t.survived()).isEqualTo(1);
        assertThat(t.noCoverage()).isEqualTo(1);
        assertThat(t.score()).isEqualTo(60.0);
        assertThat(s.perClass().get("a.A").score()).isEqualTo(50.0);
        assertThat(s.undetected()).extracting(MutationSummary.Mutant::line).containsExactly(11, 5);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo("mutation score: 60.0% (killed 3 of 5)");

        Path json = dir.resolve("summary.json");
        s.writeJson(json, Map.of("seconds", 7));
        assertThat(Files.readString(json)).contains("\"score\" : 60.0").contains("\"undetected\"");
    }

    @Test
    void theDetectingConfigurationIsTheSuiteInTheKillingTestsUniqueId() throws IOException {
        String legacy = "org.virtiotck.tck.mutation.LegacyConfiguration.[engine:junit-platform-suite]/"
                + "[suite:org.virtiotck.tck.mutation.LegacyConfiguration]/[engine:junit-jupiter]/"
                + "[class:org.virtiotck.tck.suites.QueueSuite]/[method:x(org.virtiotck.tck.junit.Tck)]";
        assertThat(MutationSummary.detectingConfiguration("all", legacy)).isEqualTo("Legacy");
        assertThat(MutationSummary.detectingConfiguration("modern", "a.T.[engine:junit-jupiter]/[method:x()]"))
                .isEqualTo("modern");

        MutationSummary s = new MutationSummary();
        s.add("all", xml("all", mutation("KILLED", "a.A", 1, 1, legacy), mutation("TIMED_OUT", "a.A", 2, 1, ""),
                mutation("SURVIVED", "a.A", 3, 1, "")));
        assertThat(s.detectedFirstIn()).isEqualTo(Map.of("Legacy", 1, MutationSummary.NO_TEST, 1));
    }

    @Test
    void unknownStatusesAndUnreadableFilesAreRefused() throws IOException {
        assertThatThrownBy(() -> MutationSummary.fateOf("PERHAPS")).isInstanceOf(IllegalArgumentException.class);
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, "<mutations><mutation");
        assertThatThrownBy(() -> new MutationSummary().add("x", bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read PIT results");
    }

    /** Three mutants of a.A (source a/X.java): line 2 survives, line 3 survives, line 4 is killed. */
    private MutationSummary triaged(String... tsvLines) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("a"));
        Files.writeString(src.resolve("a/X.java"), "class X {\n    int x = a + b;\n  int y = c + d;\n int z = e + f;\n}\n");
        MutationSummary s = new MutationSummary();
        s.add("modern", xml("modern", mutation("SURVIVED", "a.A", 2, 1, ""), mutation("NO_COVERAGE", "a.A", 3, 1, ""),
                mutation("KILLED", "a.A", 4, 1, "t")));
        Path tsv = dir.resolve("area.tsv");
        Files.writeString(tsv, "# comment\n\n" + String.join("\n", tsvLines) + "\n");
        s.triage(Triage.read(List.of(tsv), RequirementRegistry.load()), List.of(src));
        return s;
    }

    private static String entry(String text, String verdict, String reason) {
        return String.join("\t", "A", "m", text, "Replaced addition", verdict, reason);
    }

    @Test
    void aTriagedSurvivorLeavesTheDenominatorAndPitsOwnScoreStaysBesideIt() throws IOException {
        MutationSummary s = triaged(entry("int x = a + b;", "equivalent", "the sum is never read by any guest"));
        MutationSummary.Counts t = s.total();
        assertThat(t.triaged()).isEqualTo(1);
        assertThat(t.killable()).isEqualTo(2);
        assertThat(t.score()).isEqualTo(50.0);
        assertThat(t.pitScore()).isCloseTo(33.3, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.staleEntries()).isEmpty();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo("mutation score: 50.0% (killed 1 of 2)");
        assertThat(lines[lines.length - 2]).isEqualTo("PIT's own score, every mutant counted: 33.3% (killed 1 of 3)");
        Path json = dir.resolve("summary.json");
        s.writeJson(json, Map.of());
        assertThat(Files.readString(json)).contains("\"verdict\" : \"equivalent\"").contains("\"lineText\" : \"int y = c + d;\"");
    }

    @Test
    void anEntryIsMatchedByTheLinesTextNotItsNumberAndAnEntryForADetectedMutantIsStale() throws IOException {
        MutationSummary s = triaged(entry("int y = c + d;", "spec-choice", "the device chooses, blk-desc.dev.6"),
                entry("int z = e + f;", "equivalent", "killed already, so this line is stale"),
                entry("int y = c + d;", "equivalent", "one entry more than there are mutants"));
        assertThat(s.total().triaged()).isEqualTo(1);
        assertThat(s.undetected()).filteredOn(m -> s.triageOf(m) != null).extracting(MutationSummary.Mutant::line)
                .containsExactly(3);
        assertThat(s.staleEntries()).extracting(Triage.Entry::lineNo).containsExactly(4, 5);
    }

    @Test
    void aTriageLineMustBeWholeAndASpecChoiceMustCiteAKnownRequirement() {
        RequirementRegistry catalog = RequirementRegistry.load();
        assertThatThrownBy(() -> Triage.parse("f", 1, entry("x", "open", "nobody has looked at it"), catalog))
                .hasMessageContaining("f:1: verdict must be 'equivalent' or 'spec-choice'");
        assertThatThrownBy(() -> Triage.parse("f", 2, entry("x", "spec-choice", "the spec allows both answers"),
                catalog)).hasMessageContaining("must cite the requirement id");
        assertThatThrownBy(() -> Triage.parse("f", 3, entry("x", "spec-choice", "allowed by blk.dev.9999"), catalog))
                .hasMessageContaining("blk.dev.9999, which is not in the catalog");
        assertThatThrownBy(() -> Triage.parse("f", 4, "A\tm\tx\tReplaced addition\tequivalent", catalog))
                .hasMessageContaining("expected 6 tab-separated columns");
        assertThatThrownBy(() -> Triage.parse("f", 5, entry("x", "equivalent", "because"), catalog))
                .hasMessageContaining("says too little");
        assertThatThrownBy(() -> Triage.parse("f", 6, String.join("\t", "a.A", "m", "x", "d", "equivalent",
                "fully qualified class name"), catalog)).hasMessageContaining("without its package");
    }

    @Test
    void eachEntryStandsForOneMutantSoTwoAlikeOnOneLineNeedTwo() throws IOException {
        String x = entry("int x = a + b;", "equivalent", "both sums feed a value no guest reads");
        for (int entries = 1; entries <= 3; entries++) {
            Path src = dir.resolve("src");
            Files.createDirectories(src.resolve("a"));
            Files.writeString(src.resolve("a/X.java"), "class X {\n    int x = a + b;\n}\n");
            MutationSummary s = new MutationSummary();
            s.add("m", xml("m" + entries, mutation("SURVIVED", "a.A", 2, 1, ""), mutation("SURVIVED", "a.A", 2, 5, "")));
            Path tsv = dir.resolve("two.tsv");
            Files.writeString(tsv, (x + "\n").repeat(entries));
            s.triage(Triage.read(List.of(tsv), RequirementRegistry.load()), List.of(src));
            assertThat(s.total().triaged()).isEqualTo(Math.min(entries, 2));
            assertThat(s.staleEntries()).hasSize(Math.max(0, entries - 2));
        }
    }
}
