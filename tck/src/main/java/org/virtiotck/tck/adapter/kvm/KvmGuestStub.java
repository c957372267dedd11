package org.virtiotck.tck.adapter.kvm;

import static org.virtiotck.memory.LittleEndian.LE64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/**
 * The x86-64 guest the KVM target runs: its memory layout and its code.
 *
 * <p>The vCPU starts directly in 64-bit long mode (the host writes the control registers, segment registers and
 * descriptor tables through KVM_SET_SREGS; no mode switch runs in the guest). Page tables identity-map the first
 * 4 GiB with 2 MiB pages, so the guest reaches its own page at 0, guest RAM at 0x40000000 and the virtio-mmio
 * window at {@link #MMIO_BASE} with plain 64-bit addresses and can use every access width, 8-byte included.
 *
 * <p>Layout of the 64 KiB "stub" memory slot at guest-physical 0 (never handed to the harness or the device):
 * <pre>
 *   0x0000  GDT: null, 64-bit code (0x08), data (0x10)
 *   0x1000  PML4, 0x2000 PDPT, 0x3000-0x6fff four page directories (2 MiB pages)
 *   0x7000  mailbox (see below)
 *   0x8000  code (the bytes of {@link #CODE}, source in tck/src/main/c/kvm_guest_stub.S)
 *   0xa000  IDT (256 gates; 0x20-0x2f point at the PIC handlers)
 *   0xfff0  initial stack pointer
 * </pre>
 * Mailbox: +0 u32 op (0 nothing, 1 read, 2 write), +4 u32 width, +8 u64 address, +16 u64 value, +24 u64
 * interrupts the guest took, +32 u64 vector of the last one.
 */
public final class KvmGuestStub {
    public static final long STUB_SIZE = 0x10000;
    public static final long GDT = 0x0000;
    public static final long PML4 = 0x1000;
    public static final long PDPT = 0x2000;
    public static final long PD = 0x3000;
    public static final long MAILBOX = 0x7000;
    public static final long CODE_BASE = 0x8000;
    public static final long IDT = 0xa000;
    public static final long STACK_TOP = 0xfff0;

    /** Where the harness finds the device's register window (unmapped, so every access exits). */
    public static final long MMIO_BASE = 0xd0000000L;
    /** Guest RAM of the device, the same guest-physical base the reference target uses. */
    public static final long RAM_BASE = 0x40000000L;

    /** The I/O port the stub writes to hand control back to the host after each request. */
    public static final int DONE_PORT = 0x7e;
    /** The ISA IRQ the device's line drives (master 8259 input 5, vector 0x25). */
    public static final int IRQ = 5;
    public static final int VECTOR_BASE = 0x20;

    public static final long MB_IRQ_COUNT = 24;
    public static final long MB_IRQ_VECTOR = 32;

    /** Offsets of the stub's labels inside {@link #CODE}. */
    public static final int ENTRY = 0x00;
    public static final int LOOP = 0x1b;
    public static final int IRQ5_HANDLER = 0x90;
    public static final int SPURIOUS_HANDLER = 0xb0;

    /**
     * Machine code of kvm_guest_stub.S (assembled with GNU as; a test re-assembles the source and compares).
     * In short: program the master 8259 (vector base 0x20, only IRQ5 unmasked), STI, then forever: load the
     * mailbox, perform one MOVZX/MOV load or MOV store of the requested width at the requested address, store a
     * load's result, OUT to port 0x7e. The IRQ5 handler counts interrupts in the mailbox and EOIs the PIC.
     */
    public static final byte[] CODE = HexFormat.of().parseHex(
            "b011e620b020e621b004e621b001e621b0dfe621b0ffe6a1fbeb63be007000008b068b4e04488b7e08488b5610"
            + "83f801740783f8027428eb4583f901740f83f902740f83f904740f488b07eb0c0fb607eb070fb707eb028b07"
            + "48894610eb1f83f901740f83f902740e83f904740e488917eb0b8817eb07668917eb028917e67eeb99"
            + "66662e0f1f8400000000000f1f005048ff04251870000048c704252070000025000000b020e6205848cf"
            + "0f1f400048cf");


    private KvmGuestStub() {}

    /** Writes descriptor tables, page tables and code into the stub slot (guest-physical 0). */
    public static void install(MemorySegment stub) {
        stub.fill((byte) 0);
        // GDT: null, 64-bit code (P, DPL0, S, type execute/read, L, G), data (P, S, read/write, D/B, G).
        stub.set(LE64, GDT + 0x08, 0x00af9a000000ffffL);
        stub.set(LE64, GDT + 0x10, 0x00cf92000000ffffL);
        // Identity map of [0, 4 GiB) with 2 MiB pages: PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3.
        stub.set(LE64, PML4, PDPT | 0x3);
        for (int i = 0; i < 4; i++) {
            long pd = PD + i * 0x1000L;
            stub.set(LE64, PDPT + i * 8L, pd | 0x3);
            for (int j = 0; j < 512; j++) {
                long phys = ((long) i * 512 + j) << 21;
                long flags = 0x83; // present, writable, 2 MiB page
                if (phys >= MMIO_BASE && phys < MMIO_BASE + (1L << 21)) {
                    flags |= 0x18; // PCD|PWT: the register window is uncached, as device memory is
                }
                stub.set(LE64, pd + j * 8L, phys | flags);
            }
        }
        MemorySegment.copy(CODE, 0, stub, ValueLayout.JAVA_BYTE, CODE_BASE, CODE.length);
        for (int v = VECTOR_BASE; v < VECTOR_BASE + 16; v++) {
            long handler = CODE_BASE + (v == VECTOR_BASE + IRQ ? IRQ5_HANDLER : SPURIOUS_HANDLER);
            gate(stub, v, handler);
        }
    }

    /** A 64-bit interrupt gate (present, DPL0, type 0xE) for {@code vector} at {@code handler}, selector 0x08. */
    static void gate(MemorySegment stub, int vector, long handler) {
        long at = IDT + vector * 16L;
        long low = (handler & 0xffffL) | (0x08L << 16) | (0x8eL << 40) | (((handler >>> 16) & 0xffffL) << 48);
        stub.set(LE64, at, low);
        stub.set(LE64, at + 8, handler >>> 32);
    }
}
