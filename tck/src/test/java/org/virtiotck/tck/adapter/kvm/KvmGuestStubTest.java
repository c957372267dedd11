package org.virtiotck.tck.adapter.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.tck.adapter.HostTool;
import org.virtiotck.tck.adapter.nativelib.ExampleDevice;

/** The stub's bytes are what GNU as makes of tck/src/main/c/kvm_guest_stub.S, labels included. */
class KvmGuestStubTest {

    @Test
    void codeMatchesTheAssembledSource(@TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "skipped: needs an x86-64 GNU as");
        Path src = ExampleDevice.moduleDir().resolve("src/main/c/kvm_guest_stub.S");
        HostTool.run(dir, "", "as", "--64", "-o", "stub.o", src.toString());
        HostTool.run(dir, "", "objcopy", "-O", "binary", "-j", ".text", "stub.o", "stub.bin");
        assertThat(Files.readAllBytes(dir.resolve("stub.bin"))).isEqualTo(KvmGuestStub.CODE);
        String symbols = HostTool.run(dir, "", "nm", "stub.o");
        assertThat(symbols).contains(String.format("%016x T start", KvmGuestStub.ENTRY))
                .contains(String.format("%016x t loop", KvmGuestStub.LOOP))
                .contains(String.format("%016x t irq5", KvmGuestStub.IRQ5_HANDLER))
                .contains(String.format("%016x t spurious", KvmGuestStub.SPURIOUS_HANDLER));
    }
}
