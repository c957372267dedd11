package org.virtiotck.tck.adapter.hvf;

/**
 * A data abort taken to the hypervisor, decoded from the ESR_EL2 syndrome (Arm ARM D17.2.37, ISS encoding for an
 * exception from a data abort) and the faulting intermediate physical address.
 *
 * @param ipa       the faulting IPA (HVF reports it as the exit's physical address)
 * @param isv       the instruction syndrome is valid: SAS, SSE, SRT and SF describe a single load or store
 * @param width     access size in bytes (from SAS: 0 byte, 1 halfword, 2 word, 3 doubleword)
 * @param signExtend SSE: a load that sign-extends into the register
 * @param register  SRT: the transfer register (31 means XZR/WZR)
 * @param sixtyFour SF: the register is 64 bits wide (else 32)
 * @param write     WnR: the access was a write
 */
public record DataAbort(long ipa, boolean isv, int width, boolean signExtend, int register, boolean sixtyFour,
                        boolean write) {
    /** Exception class of a data abort from a lower exception level (the guest). */
    public static final int EC_DATA_ABORT_LOWER = 0x24;
    /** Exception class of an HVC executed in AArch64 state. */
    public static final int EC_HVC64 = 0x16;

    public static int exceptionClass(long esr) {
        return (int) (esr >>> 26) & 0x3f;
    }

    /** Whether the syndrome is a data abort from the guest. */
    public static boolean isDataAbort(long esr) {
        return exceptionClass(esr) == EC_DATA_ABORT_LOWER;
    }

    /** Decodes a data-abort syndrome; {@code ipa} is the faulting address. */
    public static DataAbort decode(long esr, long ipa) {
        if (!isDataAbort(esr)) {
            throw new IllegalArgumentException(String.format("syndrome 0x%x is exception class 0x%x, not a data abort",
                    esr, exceptionClass(esr)));
        }
        boolean isv = (esr >>> 24 & 1) != 0;
        int sas = (int) (esr >>> 22) & 3;
        boolean sse = (esr >>> 21 & 1) != 0;
        int srt = (int) (esr >>> 16) & 0x1f;
        boolean sf = (esr >>> 15 & 1) != 0;
        boolean wnr = (esr >>> 6 & 1) != 0;
        return new DataAbort(ipa, isv, 1 << sas, sse, srt, sf, wnr);
    }

    /** Encodes a syndrome (for the simulated backend and tests): EC data abort from lower EL, IL = 1, ISV = 1. */
    public static long encode(int width, boolean signExtend, int register, boolean sixtyFour, boolean write) {
        int sas = Integer.numberOfTrailingZeros(width);
        return (long) EC_DATA_ABORT_LOWER << 26 | 1L << 25 | 1L << 24 | (long) sas << 22 | (signExtend ? 1L << 21 : 0)
                | (long) register << 16 | (sixtyFour ? 1L << 15 : 0) | (write ? 1L << 6 : 0)
                | 0x06; // DFSC: translation fault, level 2 (nothing mapped there)
    }

    /**
     * The value a load puts into the register: the loaded {@code width} bytes, sign-extended when SSE is set, then
     * truncated to the register width (32-bit registers are zero-extended into X).
     */
    public long loadedValue(long raw) {
        long v = width == 8 ? raw : raw & ((1L << (8 * width)) - 1);
        if (signExtend && width < 8) {
            int shift = 64 - 8 * width;
            v = (v << shift) >> shift;
        }
        return sixtyFour ? v : v & 0xffffffffL;
    }

    /** The bytes a store writes, taken from the register's value. */
    public long storedValue(long register) {
        return width == 8 ? register : register & ((1L << (8 * width)) - 1);
    }
}
