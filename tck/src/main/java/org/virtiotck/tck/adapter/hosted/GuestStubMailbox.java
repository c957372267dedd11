package org.virtiotck.tck.adapter.hosted;

import static org.virtiotck.memory.LittleEndian.LE32;
import static org.virtiotck.memory.LittleEndian.LE64;

import java.lang.foreign.MemorySegment;

/**
 * The request half of the mailbox through which the host hands one register access to a guest stub (the x86 one
 * under {@code kvm:}, the arm64 one under {@code hvf:}); little endian: +0 u32 op, +4 u32 width, +8 u64 address,
 * +16 u64 value (the value to write, or the value a read loaded). What follows +24 is each stub's own.
 */
public final class GuestStubMailbox {
    public static final int OP_NONE = 0;
    public static final int OP_READ = 1;
    public static final int OP_WRITE = 2;

    public static final long MB_OP = 0;
    public static final long MB_WIDTH = 4;
    public static final long MB_ADDRESS = 8;
    public static final long MB_VALUE = 16;


    private GuestStubMailbox() {}

    /** Writes one request into the mailbox at {@code mailbox} (an offset in {@code stub}). */
    public static void post(MemorySegment stub, long mailbox, int op, int width, long address, long value) {
        stub.set(LE32, mailbox + MB_OP, op);
        stub.set(LE32, mailbox + MB_WIDTH, width);
        stub.set(LE64, mailbox + MB_ADDRESS, address);
        stub.set(LE64, mailbox + MB_VALUE, value);
    }

    /** The value a read left in the mailbox. */
    public static long value(MemorySegment stub, long mailbox) {
        return stub.get(LE64, mailbox + MB_VALUE);
    }
}
