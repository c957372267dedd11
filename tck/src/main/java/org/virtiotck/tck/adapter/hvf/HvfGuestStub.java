package org.virtiotck.tck.adapter.hvf;

import static org.virtiotck.tck.adapter.hosted.GuestStubMailbox.MB_ADDRESS;
import static org.virtiotck.tck.adapter.hosted.GuestStubMailbox.MB_OP;
import static org.virtiotck.tck.adapter.hosted.GuestStubMailbox.MB_VALUE;
import static org.virtiotck.tck.adapter.hosted.GuestStubMailbox.MB_WIDTH;
import static org.virtiotck.tck.adapter.hosted.GuestStubMailbox.OP_READ;
import static org.virtiotck.tck.adapter.hosted.GuestStubMailbox.OP_WRITE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arm64 guest of the HVF target, built from {@link Arm64} encodings (source text:
 * tck/src/main/c/hvf_guest_stub.S; a test assembles it with aarch64-linux-gnu-as and compares).
 *
 * <p>Runs at EL1 with the MMU off (so every data access is to Device-nGnRnE memory at its physical address) and
 * PSTATE.DAIF masked: the IRQ the host makes pending is never taken, but the guest reads it from ISR_EL1 after
 * each access and stores it in the mailbox, so the guest observes the line the device drives.
 *
 * <p>Register use: X19 holds the mailbox address (set by the host before the first run). Loop: load op, width,
 * address, value from the mailbox; perform exactly one LDRB/LDRH/LDR W/LDR X or STRB/STRH/STR W/STR X at the
 * address (the MMIO window is unmapped, so it exits as a data abort with a valid syndrome); store a load's result;
 * store ISR_EL1; HVC #0 to hand back to the host.
 *
 * <p>Mailbox (little endian): +0 u32 op (0 nothing, 1 read, 2 write), +4 u32 width, +8 u64 address, +16 u64 value,
 * +24 u64 ISR_EL1 after the access (bit 7: IRQ pending).
 */
public final class HvfGuestStub {
    /** Guest-physical layout (16 KiB granules, as Apple Silicon's stage 2 needs). */
    public static final long STUB_BASE = 0x10000000L;
    public static final long STUB_SIZE = 0x10000;
    public static final long MAILBOX = STUB_BASE + 0x8000;
    public static final long RAM_BASE = 0x40000000L;
    /** The virtio-mmio window: where Apple-Silicon VMMs built on Hypervisor.framework put the first device. */
    public static final long MMIO_BASE = 0x0a000000L;

    public static final int MAILBOX_REG = 19;
    public static final long MB_ISR = 24;
    /** ISR_EL1.I. */
    public static final long ISR_IRQ = 1 << 7;
    /** PSTATE for the stub: EL1h, D, A, I and F masked. */
    public static final long CPSR_EL1H_MASKED = 0x3c5;

    private HvfGuestStub() {}

    /** The assembled stub: instruction words and label offsets (bytes from STUB_BASE). */
    public record Program(int[] words, Map<String, Integer> labels) {
        public byte[] bytes() {
            byte[] b = new byte[words.length * 4];
            for (int i = 0; i < words.length; i++) {
                for (int k = 0; k < 4; k++) {
                    b[4 * i + k] = (byte) (words[i] >>> (8 * k));
                }
            }
            return b;
        }

        public int label(String name) {
            return labels.get(name);
        }
    }

    /** A two-pass assembler for the stub's straight-line code with forward branches. */
    private static final class Asm {
        final List<java.util.function.IntUnaryOperator> items = new ArrayList<>();
        final Map<String, Integer> labels = new LinkedHashMap<>();

        void label(String name) {
            labels.put(name, items.size() * 4);
        }

        void emit(int word) {
            items.add(at -> word);
        }

        void bCond(int cond, String target) {
            items.add(at -> Arm64.bCond(cond, at, labels.get(target)));
        }

        void b(String target) {
            items.add(at -> Arm64.b(at, labels.get(target)));
        }

        Program build() {
            int[] words = new int[items.size()];
            for (int i = 0; i < words.length; i++) {
                words[i] = items.get(i).applyAsInt(i * 4);
            }
            return new Program(words, Map.copyOf(labels));
        }
    }

    public static final Program PROGRAM = assemble();

    /**
     * One access of the width in w2 at the address in x3: compare and branch to {@code prefix1/2/4}, else the
     * 8-byte form; every form but the last falls to {@code after}, which the caller places next.
     */
    private static void byWidth(Asm a, String prefix, String after, java.util.function.IntUnaryOperator access) {
        int[] narrow = {1, 2, 4};
        for (int w : narrow) {
            a.emit(Arm64.cmpW(2, w));
            a.bCond(Arm64.EQ, prefix + w);
        }
        a.emit(access.applyAsInt(8));
        for (int w : narrow) {
            a.b(after);
            a.label(prefix + w);
            a.emit(access.applyAsInt(w));
        }
    }

    private static Program assemble() {
        int mb = MAILBOX_REG;
        Asm a = new Asm();
        a.label("loop");
        a.emit(Arm64.ldr(4, 1, mb, MB_OP));         // w1 = op
        a.emit(Arm64.ldr(4, 2, mb, MB_WIDTH));      // w2 = width
        a.emit(Arm64.ldr(8, 3, mb, MB_ADDRESS));    // x3 = address
        a.emit(Arm64.ldr(8, 4, mb, MB_VALUE));      // x4 = value
        a.emit(Arm64.cmpW(1, OP_READ));
        a.bCond(Arm64.EQ, "read");
        a.emit(Arm64.cmpW(1, OP_WRITE));
        a.bCond(Arm64.EQ, "write");
        a.b("done");
        a.label("read");
        byWidth(a, "r", "rdone", w -> Arm64.ldr(w, 0, 3, 0)); // ldr{b,h} w0 / ldr x0, [x3]
        a.label("rdone");
        a.emit(Arm64.str(8, 0, mb, MB_VALUE));      // str x0, [x19, #16]
        a.b("done");
        a.label("write");
        byWidth(a, "w", "done", w -> Arm64.str(w, 4, 3, 0)); // str{b,h} w4 / str x4, [x3]
        a.label("done");
        a.emit(Arm64.mrsIsrEl1(5));                 // mrs x5, isr_el1
        a.emit(Arm64.str(8, 5, mb, MB_ISR));        // str x5, [x19, #24]
        a.emit(Arm64.hvc(0));
        a.b("loop");
        return a.build();
    }
}
