package org.virtiotck.tck.adapter.hvf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.tck.adapter.HostTool;
import org.virtiotck.tck.adapter.nativelib.ExampleDevice;

/**
 * The A64 encodings and the stub, checked against GNU as for aarch64 (Debian's binutils-aarch64-linux-gnu);
 * skipped with the reason when that assembler is not installed. A few encodings are also pinned to the values
 * the Arm ARM gives, so the test means something without the assembler.
 */
class Arm64EncodingTest {
    private static final String AS = "aarch64-linux-gnu-as";
    private static final String OBJCOPY = "aarch64-linux-gnu-objcopy";
    private static final String BINUTILS = " (apt-get install binutils-aarch64-linux-gnu)";

    @Test
    void pinnedEncodings() {
        assertThat(Arm64.ldr(4, 0, 3, 0)).isEqualTo(0xb9400060);   // ldr w0, [x3]
        assertThat(Arm64.ldr(8, 3, 19, 8)).isEqualTo(0xf9400663);  // ldr x3, [x19, #8]
        assertThat(Arm64.str(1, 4, 3, 0)).isEqualTo(0x39000064);   // strb w4, [x3]
        assertThat(Arm64.hvc(0)).isEqualTo(0xd4000002);
        assertThat(Arm64.mrsIsrEl1(5)).isEqualTo(0xd538c105);
    }

    private static int[] assemble(Path dir, String source) throws IOException, InterruptedException {
        Path s = dir.resolve("t.S");
        Files.writeString(s, source);
        HostTool.run(dir, BINUTILS, AS, "-o", "t.o", "t.S");
        HostTool.run(dir, BINUTILS, OBJCOPY, "-O", "binary", "-j", ".text", "t.o", "t.bin");
        byte[] b = Files.readAllBytes(dir.resolve("t.bin"));
        int[] w = new int[b.length / 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = (b[4 * i] & 0xff) | (b[4 * i + 1] & 0xff) << 8 | (b[4 * i + 2] & 0xff) << 16 | (b[4 * i + 3] & 0xff) << 24;
        }
        return w;
    }

    @Test
    void everyLoadAndStoreWidthMatchesTheAssembler(@TempDir Path dir) throws Exception {
        StringBuilder src = new StringBuilder(".text\n");
        List<Integer> ours = new ArrayList<>();
        String[] ld = {"ldrb w%d, [x%d, #%d]", "ldrh w%d, [x%d, #%d]", "ldr w%d, [x%d, #%d]", "ldr x%d, [x%d, #%d]"};
        String[] st = {"strb w%d, [x%d, #%d]", "strh w%d, [x%d, #%d]", "str w%d, [x%d, #%d]", "str x%d, [x%d, #%d]"};
        String[] lds = {"ldrsb x%d, [x%d, #%d]", "ldrsh x%d, [x%d, #%d]", "ldrsw x%d, [x%d, #%d]"};
        int[] widths = {1, 2, 4, 8};
        int[][] operands = {{0, 3, 0}, {4, 19, 1}, {30, 1, 7}, {17, 29, 4095}};
        for (int i = 0; i < 4; i++) {
            int w = widths[i];
            for (int[] o : operands) {
                long off = (long) o[2] * w;
                src.append(String.format(ld[i], o[0], o[1], off)).append('\n');
                ours.add(Arm64.ldr(w, o[0], o[1], off));
                src.append(String.format(st[i], o[0], o[1], off)).append('\n');
                ours.add(Arm64.str(w, o[0], o[1], off));
                if (i < 3) {
                    src.append(String.format(lds[i], o[0], o[1], off)).append('\n');
                    ours.add(Arm64.ldrs64(w, o[0], o[1], off));
                }
            }
        }
        src.append("cmp w1, #1\ncmp w2, #4095\nmrs x5, isr_el1\nmrs x0, isr_el1\nhvc #0\nhvc #0x1234\n");
        ours.add(Arm64.cmpW(1, 1));
        ours.add(Arm64.cmpW(2, 4095));
        ours.add(Arm64.mrsIsrEl1(5));
        ours.add(Arm64.mrsIsrEl1(0));
        ours.add(Arm64.hvc(0));
        ours.add(Arm64.hvc(0x1234));
        src.append("here: b.eq there\nb.ne here\nb here\nthere: b here\n");
        int base = ours.size() * 4;
        ours.add(Arm64.bCond(Arm64.EQ, base, base + 12));
        ours.add(Arm64.bCond(Arm64.NE, base + 4, base));
        ours.add(Arm64.b(base + 8, base));
        ours.add(Arm64.b(base + 12, base));
        int[] theirs = assemble(dir, src.toString());
        assertThat(hex(ours.stream().mapToInt(Integer::intValue).toArray())).isEqualTo(hex(theirs));
    }

    @Test
    void theStubMatchesItsAssembledSource(@TempDir Path dir) throws Exception {
        Path src = ExampleDevice.moduleDir().resolve("src/main/c/hvf_guest_stub.S");
        int[] theirs = assemble(dir, Files.readString(src));
        assertThat(hex(HvfGuestStub.PROGRAM.words())).isEqualTo(hex(theirs));
    }

    private static List<String> hex(int[] words) {
        List<String> out = new ArrayList<>();
        for (int w : words) {
            out.add(String.format("%08x", w));
        }
        return out;
    }
}
