package org.virtiotck.tck.adapter.hvf;

/**
 * The few A64 instruction encodings the HVF guest stub uses (Arm ARM C6). Registers are numbers 0-30; 31 is
 * XZR/WZR in the data-register position of loads and stores.
 */
public final class Arm64 {
    private Arm64() {}

    /** Condition codes for {@link #bCond}. */
    public static final int EQ = 0;
    public static final int NE = 1;

    private static int reg(int r) {
        if (r < 0 || r > 31) {
            throw new IllegalArgumentException("register " + r);
        }
        return r;
    }

    private static int scaled(long offset, int width) {
        if (offset < 0 || offset % width != 0 || offset / width > 4095) {
            throw new IllegalArgumentException("offset " + offset + " not encodable for width " + width);
        }
        return (int) (offset / width);
    }

    /** size field (bits 31:30) of the load/store unsigned-offset class for an access of {@code width} bytes. */
    private static int size(int width) {
        return switch (width) {
            case 1 -> 0;
            case 2 -> 1;
            case 4 -> 2;
            case 8 -> 3;
            default -> throw new IllegalArgumentException("width " + width);
        };
    }

    /**
     * LDRB/LDRH/LDR Wt/LDR Xt {@code [Xn, #offset]} (unsigned offset): zero-extending load of {@code width} bytes;
     * widths 1, 2 and 4 load into Wt, width 8 into Xt.
     */
    public static int ldr(int width, int rt, int rn, long offset) {
        return size(width) << 30 | 0x39400000 | scaled(offset, width) << 10 | reg(rn) << 5 | reg(rt);
    }

    /** STRB/STRH/STR Wt/STR Xt {@code [Xn, #offset]} (unsigned offset). */
    public static int str(int width, int rt, int rn, long offset) {
        return size(width) << 30 | 0x39000000 | scaled(offset, width) << 10 | reg(rn) << 5 | reg(rt);
    }

    /** LDRSB/LDRSH Xt or LDRSW Xt {@code [Xn, #offset]}: sign-extending load into a 64-bit register. */
    public static int ldrs64(int width, int rt, int rn, long offset) {
        if (width == 8) {
            throw new IllegalArgumentException("no sign-extending 8-byte load");
        }
        return size(width) << 30 | 0x39800000 | scaled(offset, width) << 10 | reg(rn) << 5 | reg(rt);
    }

    /** CMP Wn, #imm (SUBS WZR, Wn, #imm). */
    public static int cmpW(int rn, int imm) {
        if (imm < 0 || imm > 4095) {
            throw new IllegalArgumentException("immediate " + imm);
        }
        return 0x7100001f | imm << 10 | reg(rn) << 5;
    }

    /** B.cond to {@code target} from {@code at} (byte addresses). */
    public static int bCond(int cond, long at, long target) {
        long d = (target - at) / 4;
        if (d < -(1 << 18) || d >= (1 << 18) || (target - at) % 4 != 0) {
            throw new IllegalArgumentException("branch out of range");
        }
        return 0x54000000 | ((int) d & 0x7ffff) << 5 | cond;
    }

    /** B to {@code target} from {@code at}. */
    public static int b(long at, long target) {
        long d = (target - at) / 4;
        if (d < -(1 << 25) || d >= (1 << 25) || (target - at) % 4 != 0) {
            throw new IllegalArgumentException("branch out of range");
        }
        return 0x14000000 | ((int) d & 0x3ffffff);
    }

    /** MRS Xt, ISR_EL1 (op0 3, op1 0, CRn 12, CRm 1, op2 0): the pending IRQ/FIQ/SError bits as the guest sees them. */
    public static int mrsIsrEl1(int rt) {
        return 0xd538c100 | reg(rt);
    }

    /** HVC #imm16: a call to the hypervisor (the stub's "done"). */
    public static int hvc(int imm16) {
        return 0xd4000002 | (imm16 & 0xffff) << 5;
    }
}
