package org.virtiotck.fuzz.campaign;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.fuzz.program.Program;

/**
 * The last few programs a job ran on its harness since the harness's last hard reset: what a complaint of the next
 * program may depend on (a target can keep state over the cheap device reset between two runs, as QEMU keeps ring
 * positions). A ring of references; nothing is copied until {@link #programs()} is asked for, once per new
 * complaint.
 */
final class History {
    private final Program[] ring;
    private int next;
    private int size;
    private long hardResets;

    /** Keeps up to {@code capacity} programs (0: none). */
    History(int capacity) {
        this.ring = new Program[capacity];
    }

    /**
     * Forgets every program when the harness has hard-reset since the last call ({@code hardResets} is its
     * {@link org.virtiotck.fuzz.exec.Harness#hardResets() count}): call it after each run, before
     * {@link #programs()}, as a run may start with a hard reset.
     */
    void sync(long hardResets) {
        if (hardResets != this.hardResets) {
            this.hardResets = hardResets;
            size = 0;
            next = 0;
        }
    }

    /** Records a program that ran; the oldest one drops out when the ring is full. */
    void add(Program p) {
        if (ring.length == 0) {
            return;
        }
        ring[next] = p;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** How many programs are kept. */
    int size() {
        return size;
    }

    /** The programs kept, oldest first. */
    List<Program> programs() {
        List<Program> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(ring[Math.floorMod(next - size + i, ring.length)]);
        }
        return List.copyOf(out);
    }
}
