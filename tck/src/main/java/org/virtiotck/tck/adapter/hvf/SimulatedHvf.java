package org.virtiotck.tck.adapter.hvf;

import static org.virtiotck.memory.LittleEndian.LE32;
import static org.virtiotck.memory.LittleEndian.LE64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for Hypervisor.framework that interprets the handful of A64 instructions the HVF guest stub uses
 * (LDR/STR unsigned-offset of every width, sign-extending loads, CMP Wn #imm, B.cond EQ/NE, B, MRS ISR_EL1, HVC)
 * over the mapped memory, and reports exits the way the framework does: a load or store to unmapped IPA space
 * is a data-abort exception exit with an ISV=1 syndrome and the PC left at the faulting instruction; HVC is an
 * exception exit with the PC already past it. A pending IRQ lasts for one run, so the VMM must set it before every
 * run, as it must with the real framework.
 *
 * <p>It does not model anything else of the architecture; it exists to test the VMM logic off a Mac.
 */
public final class SimulatedHvf implements HvfPlatform {
    private static final int STEP_LIMIT = 100_000;

    private record Region(long ipa, MemorySegment host, int flags) {
        boolean contains(long a, int len) {
            return Long.compareUnsigned(a, ipa) >= 0 && Long.compareUnsigned(a - ipa + len, host.byteSize()) <= 0;
        }
    }

    private final List<Region> regions = new ArrayList<>();
    private final long[] x = new long[31];
    private long pc;
    private long cpsr;
    private boolean zero;
    private boolean pendingIrq;
    private boolean vm;
    private boolean vcpu;
    private Thread owner;
    private long instructions;

    @Override
    public String name() {
        return "simulated (A64 interpreter)";
    }

    public long instructions() {
        return instructions;
    }

    private void owned() {
        if (owner != Thread.currentThread()) {
            throw new IllegalStateException("vCPU used from " + Thread.currentThread().getName()
                    + ", not its owning thread (Hypervisor.framework would refuse)");
        }
    }

    @Override
    public void vmCreate() {
        if (vm) {
            throw new IllegalStateException("HV_BUSY: a VM already exists in this process");
        }
        vm = true;
    }

    @Override
    public void vmMap(MemorySegment host, long ipa, int flags) {
        if (host.byteSize() % 16384 != 0 || ipa % 16384 != 0 || host.address() % 16384 != 0) {
            throw new IllegalArgumentException("HV_BAD_ARGUMENT: mappings must be 16 KiB aligned");
        }
        regions.add(new Region(ipa, host, flags));
    }

    @Override
    public long vcpuCreate() {
        vcpu = true;
        owner = Thread.currentThread();
        cpsr = 0x3c5;
        return 0;
    }

    @Override
    public long getReg(long id, int reg) {
        owned();
        if (reg < 31) {
            return x[reg];
        }
        return switch (reg) {
            case REG_PC -> pc;
            case REG_CPSR -> cpsr;
            default -> throw new IllegalArgumentException("register " + reg);
        };
    }

    @Override
    public void setReg(long id, int reg, long value) {
        owned();
        if (reg < 31) {
            x[reg] = value;
            return;
        }
        switch (reg) {
            case REG_PC -> pc = value;
            case REG_CPSR -> cpsr = value;
            default -> throw new IllegalArgumentException("register " + reg);
        }
    }

    @Override
    public void setPendingIrq(long id, boolean pending) {
        owned();
        pendingIrq = pending;
    }

    private Region region(long a, int len) {
        for (Region r : regions) {
            if (r.contains(a, len)) {
                return r;
            }
        }
        return null;
    }

    private int fetch() {
        Region r = region(pc, 4);
        if (r == null || (r.flags & MEMORY_EXEC) == 0) {
            throw new IllegalStateException(String.format("instruction fetch from unmapped 0x%x", pc));
        }
        return r.host.get(LE32, pc - r.ipa);
    }

    private long reg(int r) {
        return r == 31 ? 0 : x[r];
    }

    private void setX(int r, long v) {
        if (r != 31) {
            x[r] = v;
        }
    }

    @Override
    public Exit vcpuRun(long id) {
        owned();
        try {
            for (int step = 0; step < STEP_LIMIT; step++) {
                int w = fetch();
                instructions++;
                if ((w & 0x3b000000) == 0x39000000) {
                    Exit e = loadStore(w);
                    if (e != null) {
                        return e;
                    }
                } else if ((w & 0xffc0001f) == 0x7100001f) {               // CMP Wn, #imm12 (SUBS WZR, Wn, #imm)
                    int imm = w >>> 10 & 0xfff;
                    int rn = w >>> 5 & 0x1f;
                    zero = (int) reg(rn) - imm == 0;
                    pc += 4;
                } else if ((w & 0xff000010) == 0x54000000) {              // B.cond
                    int cond = w & 0xf;
                    long off = (long) ((w >>> 5 & 0x7ffff) << 13 >> 13) * 4;
                    boolean take = switch (cond) {
                        case Arm64.EQ -> zero;
                        case Arm64.NE -> !zero;
                        default -> throw new IllegalStateException("condition " + cond + " not simulated");
                    };
                    pc = take ? pc + off : pc + 4;
                } else if ((w & 0xfc000000) == 0x14000000) {              // B
                    pc += (long) (w << 6 >> 6) * 4;
                } else if ((w & ~0x1f) == 0xd538c100) {                   // MRS Xt, ISR_EL1
                    setX(w & 0x1f, pendingIrq ? HvfGuestStub.ISR_IRQ : 0);
                    pc += 4;
                } else if ((w & 0xffe0001f) == 0xd4000002) {              // HVC #imm16
                    pc += 4; // the preferred return address is the next instruction
                    long esr = (long) DataAbort.EC_HVC64 << 26 | 1L << 25 | (w >>> 5 & 0xffff);
                    return new Exit(EXIT_EXCEPTION, esr, 0, 0);
                } else {
                    // Unknown reason (EC 0): an instruction this simulator does not model.
                    return new Exit(EXIT_EXCEPTION, 1L << 25, pc, 0);
                }
            }
            return new Exit(EXIT_CANCELED, 0, 0, 0);
        } finally {
            pendingIrq = false; // one run's worth: the VMM must assert it again
        }
    }

    /** LDR/STR (unsigned offset) of all sizes; null when the access hit mapped memory and the PC moved on. */
    private Exit loadStore(int w) {
        int size = w >>> 30;
        int opc = w >>> 22 & 3;
        int width = 1 << size;
        long imm = (long) (w >>> 10 & 0xfff) * width;
        int rn = w >>> 5 & 0x1f;
        int rt = w & 0x1f;
        long addr = x[rn] + imm; // rn 31 would be SP, which the stub never uses
        boolean write = opc == 0;
        boolean signed = opc >= 2;
        boolean sixtyFour = size == 3 || opc == 2;
        Region r = region(addr, width);
        if (r == null) {
            long esr = DataAbort.encode(width, signed, rt, sixtyFour, write);
            return new Exit(EXIT_EXCEPTION, esr, addr, addr);
        }
        long off = addr - r.ipa;
        if (write) {
            long v = reg(rt);
            for (int i = 0; i < width; i++) {
                r.host.set(ValueLayout.JAVA_BYTE, off + i, (byte) (v >>> (8 * i)));
            }
        } else {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = v << 8 | (r.host.get(ValueLayout.JAVA_BYTE, off + i) & 0xffL);
            }
            DataAbort shape = new DataAbort(addr, true, width, signed, rt, sixtyFour, false);
            setX(rt, shape.loadedValue(v));
        }
        pc += 4;
        return null;
    }

    @Override
    public void vcpuDestroy(long id) {
        vcpu = false;
    }

    @Override
    public void vmDestroy() {
        regions.clear();
        vm = false;
    }

    /** Reads guest memory through the mappings (for tests). */
    long peek64(long ipa) {
        Region r = region(ipa, 8);
        return r.host.get(LE64, ipa - r.ipa);
    }
}
