package org.virtiotck.memory;

/** An access outside guest RAM. */
public final class GuestMemoryFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestMemoryFault(long gpa, long length, GuestMemory memory) {
        super("guest access [0x%x, +0x%x) outside RAM [0x%x, +0x%x)"
                .formatted(gpa, length, memory.base(), memory.size()));
    }
}
