package org.virtiotck.tck.adapter.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.tck.adapter.nativelib.ExampleDevice;

/** The stub's bytes are what GNU as makes of tck/src/main/c/kvm_guest_stub.S, labels included. */
class KvmGuestStubTest {

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: " + cmd[0] + " is not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", List.of(cmd), out).isZero();
        return out;
    }

    @Test
    void codeMatchesTheAssembledSource(@TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "skipped: needs an x86-64 GNU as");
        Path src = ExampleDevice.moduleDir().resolve("src/main/c/kvm_guest_stub.S");
        run(dir, "as", "--64", "-o", "stub.o", src.toString());
        run(dir, "objcopy", "-O", "binary", "-j", ".text", "stub.o", "stub.bin");
        assertThat(Files.readAllBytes(dir.resolve("stub.bin"))).isEqualTo(KvmGuestStub.CODE);
        String symbols = run(dir, "nm", "stub.o");
        assertThat(symbols).contains(String.format("%016x T start", KvmGuestStub.ENTRY))
                .contains(String.format("%016x t loop", KvmGuestStub.LOOP))
                .contains(String.format("%016x t irq5", KvmGuestStub.IRQ5_HANDLER))
                .contains(String.format("%016x t spurious", KvmGuestStub.SPURIOUS_HANDLER));
    }
}
