package org.virtiotck.tck.spi;

/** A guest-physical address range [base, base + size). */
public record MemoryWindow(long base, long size) {

    public MemoryWindow {
        if (size <= 0) {
            throw new IllegalArgumentException("memory window size must be positive: " + size);
        }
    }

    public long end() {
        return base + size;
    }

    public boolean contains(long gpa, long length) {
        return length >= 0 && Long.compareUnsigned(gpa, base) >= 0
                && Long.compareUnsigned(gpa - base, size) <= 0
                && Long.compareUnsigned(length, size - (gpa - base)) <= 0;
    }

    @Override
    public String toString() {
        return "[0x%x, 0x%x)".formatted(base, base + size);
    }
}
