package org.virtiotck.tck.target.agent;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.TargetFault;

/**
 * The VMM's guest RAM as a shared file (QEMU {@code -object memory-backend-file,share=on,mem-path=FILE}), mapped
 * into the kit so guest-memory calls need no serial traffic. Register accesses still go through the agent.
 *
 * @param path  the file
 * @param gpa   the guest-physical address of the file's first byte
 */
record RamFile(Path path, long gpa) {

    /** Maps the file; the window the harness uses must lie inside it. */
    Mapped map(MemoryWindow window) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (window.base() < gpa || window.end() > gpa + size) {
                throw new TargetFault(TargetFault.Kind.PROTOCOL, "ram-file " + path + " holds guest RAM "
                        + new MemoryWindow(gpa, Math.max(size, 1)) + ", which does not cover the RAM window " + window);
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new Mapped(new SegmentGuestMemory(gpa, seg), arena);
        } catch (IOException e) {
            arena.close();
            throw new TargetFault(TargetFault.Kind.CRASHED, "cannot map ram-file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** A live mapping; close unmaps it. */
    record Mapped(SegmentGuestMemory memory, Arena arena) implements AutoCloseable {
        @Override
        public void close() {
            try {
                arena.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
