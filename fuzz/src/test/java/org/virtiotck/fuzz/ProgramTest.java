package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.bench.FuzzBench;
import org.virtiotck.fuzz.cli.FuzzMain;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.TargetProfile;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramCodec;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.fuzz.report.RegressionTestExporter;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Targets;

class ProgramTest {

    @Test
    void programsRoundTripThroughJsonAndTheChoiceCodec() {
        TargetProfile profile = new TargetProfile(false, 0x1_3000_0e64L, 1, 256, 2048);
        ProgramGen gen = new ProgramGen(profile);
        for (long seed = 0; seed < 200; seed++) {
            Program p = gen.generate(Source.random(seed));
            assertThat(ProgramJson.fromJson(ProgramJson.toJson(p))).isEqualTo(p);
            assertThat(ProgramCodec.GEN.replay(ProgramCodec.encode(p))).isEqualTo(p);
        }
    }

    @Test
    void generationIsReplayableFromChoices() {
        ProgramGen gen = new ProgramGen(new TargetProfile(false, 0x1_3000_0e64L, 1, 256, 2048));
        Source s = Source.random(42);
        Program p = gen.generate(s);
        assertThat(gen.replay(s.choices())).isEqualTo(p);
    }

    @Test
    void theBenchProgramPassesAllOracles() {
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            for (int i = 0; i < 3; i++) {
                assertThat(h.run(FuzzBench.benchProgram())).isNull();
            }
            assertThat(h.targetObservation().usedCount()).isEqualTo(2);
            assertThat(h.targetObservation().usedStatus(0)).isZero();
        }
    }

    @Test
    void exportedRegressionTestNamesTheFinding() {
        String src = RegressionTestExporter.source("x.y", "f0000abcd", "reference", "canary:outside-writable",
                "summary", FuzzBench.benchProgram());
        assertThat(src).contains("package x.y;", "class FuzzRegression_f0000abcdTest", "@Test",
                "ProgramJson.fromJson(PROGRAM)");
    }

    @Test
    void cliExitCodes(@TempDir Path dir) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes);
        assertThat(FuzzMain.run(new String[] {"run", "--target", "reference"}, out, err)).isEqualTo(2);
        assertThat(errBytes.toString().strip().lines().count()).isEqualTo(1);
        assertThat(FuzzMain.run(new String[] {"run", "--target", "nosuch:x", "--execs", "10"}, out, err))
                .isEqualTo(2);
        assertThat(FuzzMain.run(new String[] {"run", "--target", "reference", "--execs", "10", "--shard", "2/2"},
                out, err)).isEqualTo(2);
        assertThat(FuzzMain.run(new String[] {"run", "--target", "reference", "--execs", "2000", "--seed", "1",
                "--out", dir.toString()}, out, err)).isZero();
        assertThat(FuzzMain.run(new String[] {"merge", dir.toString(), "--out", dir.resolve("m").toString()}, out,
                err)).isZero();
        errBytes.reset();
        String report = dir.resolve("fuzz-report.json").toString();
        assertThat(FuzzMain.run(new String[] {"replay", report, "--target", "reference", "--waivers",
                dir.resolve("no-such-waivers.txt").toString()}, out, err)).isEqualTo(2);
        assertThat(errBytes.toString().strip().lines().count()).isEqualTo(1);
    }
}
