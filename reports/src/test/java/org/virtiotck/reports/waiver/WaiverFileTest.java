package org.virtiotck.reports.waiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.reports.Fixtures.outcome;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

class WaiverFileTest {

    private static final RequirementRegistry REGISTRY = RequirementRegistry.load();

    @Test
    void parsesIdsGlobsCommentsAndBlankLines() throws WaiverFileException {
        Waivers waivers = WaiverFile.parse("""
                # accepted deviations of QEMU 7.2

                mmio.dev.7 : generation counter not bumped on resize: see bug 123
                  blk.dev.24   *Discard*#unmap?  :  returns IOERR, not UNSUPP
                """, "w.txt", REGISTRY);
        assertThat(waivers.all()).containsExactly(
                new Waiver("mmio.dev.7", null, "generation counter not bumped on resize: see bug 123", 3),
                new Waiver("blk.dev.24", "*Discard*#unmap?", "returns IOERR, not UNSUPP", 4));
    }

    @Test
    void badLinesNameFileAndLine() {
        assertError("mmio.dev.7 no colon", "w.txt:1: missing ' : reason' after the requirement id");
        assertError("\n\nmmio.dev.7 :   ", "w.txt:3: empty reason; say why the deviation is accepted");
        assertError(" : why", "w.txt:1: missing requirement id before ':'");
        assertError("mmio.dev.7 A#b extra : why", "w.txt:1: expected 'requirement-id [test-glob]' before ':', found 3 words");
        assertError("# ok\nMMIO.dev.7 : why", "w.txt:2: 'MMIO.dev.7' is not a requirement id like mmio.dev.2");
        assertError("mmio.dev.99 : why", "w.txt:1: unknown requirement id mmio.dev.99");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> WaiverFile.parse(text, "w.txt", REGISTRY))
                .isInstanceOf(WaiverFileException.class).hasMessage(message);
    }

    @Test
    void readsFromDiskAndReportsMissingFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("waivers.txt");
        Files.writeString(file, "reset.dev.1 : slow\n");
        assertThat(WaiverFile.read(file, REGISTRY).all()).hasSize(1);
        assertThatThrownBy(() -> WaiverFile.read(dir.resolve("missing.txt"), REGISTRY))
                .isInstanceOf(WaiverFileException.class).hasMessageContaining("missing.txt: cannot read waiver file");
    }

    @Test
    void waivesFailCrashAndHangOfMatchingIds() throws WaiverFileException {
        Waivers waivers = WaiverFile.parse("mmio.dev.7 : known\n", "w", REGISTRY);
        for (Verdict v : new Verdict[] {Verdict.FAIL, Verdict.CRASH, Verdict.HANG}) {
            TestOutcome applied = waivers.apply(outcome("Cfg#gen", v, "mmio.dev.7"));
            assertThat(applied.verdict()).isEqualTo(Verdict.WAIVED);
            assertThat(applied.waivedFrom()).isEqualTo(v);
            assertThat(applied.waiverReason()).isEqualTo("known");
        }
        for (Verdict v : new Verdict[] {Verdict.PASS, Verdict.SKIP, Verdict.ERROR}) {
            TestOutcome o = outcome("Cfg#gen", v, "mmio.dev.7");
            assertThat(waivers.apply(o)).isSameAs(o);
        }
        TestOutcome other = outcome("Cfg#gen", Verdict.FAIL, "mmio.dev.8");
        assertThat(waivers.apply(other)).isSameAs(other);
    }

    @Test
    void testGlobRestrictsTheWaiver() throws WaiverFileException {
        Waivers waivers = WaiverFile.parse("blk.dev.24 *DiscardTest#unmap* : known\n", "w", REGISTRY);
        assertThat(waivers.apply(outcome("org.x.DiscardTest#unmapFlag", Verdict.FAIL, "blk.dev.24")).verdict())
                .isEqualTo(Verdict.WAIVED);
        assertThat(waivers.apply(outcome("org.x.DiscardTest#reserved", Verdict.FAIL, "blk.dev.24")).verdict())
                .isEqualTo(Verdict.FAIL);
        assertThat(waivers.apply(outcome("org.x.DiscardTest#unmap.x", Verdict.FAIL, "blk.dev.24")).verdict())
                .as("'.' in a glob is literal, '*' spans anything").isEqualTo(Verdict.WAIVED);
    }

    @Test
    void aMultiRequirementFailureIsWaivedOnlyWhenAllItsIdsAre() throws WaiverFileException {
        Waivers one = WaiverFile.parse("mmio.dev.5 : a\n", "w", REGISTRY);
        Waivers both = WaiverFile.parse("mmio.dev.5 : a\nmmio.dev.6 : b\n", "w", REGISTRY);
        TestOutcome reset = outcome("Reset#clears", Verdict.FAIL, "mmio.dev.5", "mmio.dev.6");
        assertThat(one.apply(reset).verdict()).isEqualTo(Verdict.FAIL);
        TestOutcome waived = both.apply(reset);
        assertThat(waived.verdict()).isEqualTo(Verdict.WAIVED);
        assertThat(waived.waiverReason()).isEqualTo("a; b");
        TestOutcome noIds = outcome("X#y", Verdict.FAIL);
        assertThat(Waivers.none().apply(noIds)).isSameAs(noIds);
        assertThat(both.apply(noIds)).isSameAs(noIds);
    }
}
