package org.virtiotck.tck.adapter.hosted;

import org.virtiotck.memory.GuestMemoryFault;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;

/**
 * A target whose guest RAM is memory in this process that the device and the harness share (a heap segment, or
 * native memory a hypervisor maps into a VM). Guest-memory calls of the harness go straight to it, as a guest
 * driver's plain loads and stores would (they never trap).
 */
public abstract class SharedRamTarget implements Target {
    /** The shared guest RAM, for the target's lifetime (a hard reset zeroes it in place). */
    protected final SegmentGuestMemory memory;

    protected SharedRamTarget(SegmentGuestMemory memory) {
        this.memory = memory;
    }

    @Override
    public final MemoryWindow ram() {
        return new MemoryWindow(memory.base(), memory.size());
    }

    @Override
    public final void readMemory(long gpa, byte[] dst, int dstOffset, int length) {
        try {
            memory.read(gpa, dst, dstOffset, length);
        } catch (GuestMemoryFault e) {
            throw outsideRam("read", e);
        }
    }

    @Override
    public final void writeMemory(long gpa, byte[] src, int srcOffset, int length) {
        try {
            memory.write(gpa, src, srcOffset, length);
        } catch (GuestMemoryFault e) {
            throw outsideRam("write", e);
        }
        harnessWrote(gpa, length);
    }

    /** Called after each harness write to guest RAM (for a target that tracks what was written); does nothing. */
    protected void harnessWrote(long gpa, int length) {
    }

    /**
     * The first offset from {@code gpa} where guest RAM differs from {@code expected[from, from + length)}, or -1:
     * a read-back and compare without the copy, for a harness in the same process.
     */
    public final long mismatch(long gpa, byte[] expected, int from, int length) {
        try {
            return memory.mismatch(gpa, expected, from, length);
        } catch (GuestMemoryFault e) {
            throw outsideRam("read", e);
        }
    }

    /** A harness access outside guest RAM is the harness's mistake: a PROTOCOL fault. (No lambda per access: this
     * is the fuzzer's hottest path.) */
    private static TargetFault outsideRam(String what, GuestMemoryFault e) {
        return new TargetFault(TargetFault.Kind.PROTOCOL, "harness " + what + " outside guest RAM: " + e.getMessage(), e);
    }
}
