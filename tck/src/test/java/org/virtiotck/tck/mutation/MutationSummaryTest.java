package org.virtiotck.tck.mutation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
