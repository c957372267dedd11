package org.virtiotck.fuzz.program;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One step of a fuzz {@link Program}. Every guest address in an op is an offset from the start of the target's
 * guest RAM window ({@code ram().base()}), so a program means the same thing on every target. Offsets may point
 * past the window on purpose (mutated addresses); the interpreter then passes them on unchanged to the device and
 * skips the harness's own memory write.
 *
 * <p>Ops are plain data: the JSON form ({@code "op": "<name>"} plus fields) is the replayable reproducer format.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Op.Read.class, name = "read"),
        @JsonSubTypes.Type(value = Op.Write.class, name = "write"),
        @JsonSubTypes.Type(value = Op.SetStatus.class, name = "status"),
        @JsonSubTypes.Type(value = Op.Features.class, name = "features"),
        @JsonSubTypes.Type(value = Op.QueueSetup.class, name = "queueSetup"),
        @JsonSubTypes.Type(value = Op.QueueReady.class, name = "queueReady"),
        @JsonSubTypes.Type(value = Op.QueueReset.class, name = "queueReset"),
        @JsonSubTypes.Type(value = Op.Descriptor.class, name = "desc"),
        @JsonSubTypes.Type(value = Op.IndirectTable.class, name = "indirect"),
        @JsonSubTypes.Type(value = Op.Header.class, name = "header"),
        @JsonSubTypes.Type(value = Op.Payload.class, name = "payload"),
        @JsonSubTypes.Type(value = Op.Avail.class, name = "avail"),
        @JsonSubTypes.Type(value = Op.AvailIdx.class, name = "availIdx"),
        @JsonSubTypes.Type(value = Op.Notify.class, name = "notify"),
        @JsonSubTypes.Type(value = Op.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = Op.Segment.class, name = "segment"),
})
public sealed interface Op {

    /** Short name, as in the JSON form: the name {@link JsonSubTypes} above gives the op's type. */
    default String name() {
        return OpNames.of(this);
    }

    /** Register read at {@code offset} with {@code width} bytes (1, 2, 4, 8, or odd widths 3, 5, 6, 7). */
    record Read(int offset, int width) implements Op {
    }

    /** Register write. Writes to the queue layout registers also update the harness's view of the rings. */
    record Write(int offset, int width, long value) implements Op {
    }

    /** Status register write (0 = device reset). */
    record SetStatus(int value) implements Op {
    }

    /** DriverFeaturesSel = select, DriverFeatures = value. */
    record Features(int select, int value) implements Op {
    }

    /**
     * Sets up a queue; the harness zeroes both rings in guest memory and restarts its avail index, as a careful
     * driver does.
     *
     * <p>{@code align == 0}: the modern (Version 2) way: QueueSel, QueueNum, QueueDesc/Driver/Device (low and high
     * words). Does not set QueueReady.
     *
     * <p>{@code align != 0}: the legacy (Version 1, §4.2.4) way: QueueSel, QueueNum, QueueAlign = {@code align},
     * QueuePFN = (RAM base + {@code desc}) / page size, where the page size is the last GuestPageSize the program
     * wrote (4096 when none or not a power of two, as the device assumes). Writing QueuePFN activates the queue;
     * the rings follow the legacy contiguous layout from {@code desc} ({@code avail} and {@code used} record where
     * the generator expected them; the harness follows the registers). Programs write GuestPageSize themselves
     * (a plain {@link Write}), once, before the first queue, as Linux does.
     */
    record QueueSetup(int queue, int size, long desc, long avail, long used,
                      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int align) implements Op {
        /** A modern queue setup. */
        public QueueSetup(int queue, int size, long desc, long avail, long used) {
            this(queue, size, desc, avail, used, 0);
        }

        public boolean legacy() {
            return align != 0;
        }
    }

    /** QueueSel = queue, QueueReady = value. */
    record QueueReady(int queue, int value) implements Op {
    }

    /** QueueSel = queue, QueueReset = 1 (VIRTIO_F_RING_RESET). */
    record QueueReset(int queue) implements Op {
    }

    /** Writes descriptor {@code index} of the queue's descriptor table (index may exceed the queue size). */
    record Descriptor(int queue, int index, long addr, long len, int flags, int next) implements Op {
    }

    /** One entry of an indirect table. */
    record Entry(long addr, long len, int flags, int next) {
    }

    /** Writes an indirect descriptor table at {@code at}. */
    record IndirectTable(long at, List<Entry> entries) implements Op {
        public IndirectTable {
            entries = List.copyOf(entries);
        }
    }

    /** Writes a virtio-blk request header (type, reserved/ioprio, sector) at {@code at}. */
    record Header(long at, int type, int ioprio, long sector) implements Op {
    }

    /** Writes {@code len} bytes of a pattern derived from {@code seed} at {@code at} (request data). */
    record Payload(long at, int len, int seed) implements Op {
    }

    /** Puts {@code head} into the queue's avail ring at the harness's avail index and publishes index + 1. */
    record Avail(int queue, int head) implements Op {
    }

    /** Publishes an arbitrary avail idx (ring index mutation); the harness continues from it. */
    record AvailIdx(int queue, int idx) implements Op {
    }

    /** QueueNotify = queue; then observes used idx, InterruptStatus and Status. */
    record Notify(int queue) implements Op {
    }

    /** InterruptACK = bits. */
    record Ack(int bits) implements Op {
    }

    /** Writes a DISCARD / WRITE_ZEROES / SECURE_ERASE segment (le64 sector, le32 num_sectors, le32 flags). */
    record Segment(long at, long sector, int sectors, int flags) implements Op {
    }
}
