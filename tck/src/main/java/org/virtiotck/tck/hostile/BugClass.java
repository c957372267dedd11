package org.virtiotck.tck.hostile;

/** The 19 classes of driver misbehaviour the hostile suites cover, numbered from 1 in the order they are listed. */
public enum BugClass {
    LOOPS("descriptor loops and chains longer than the queue"),
    INDEX_OUT_OF_RANGE("head or next index out of range"),
    ADDRESS_OUTSIDE_RAM("buffer address outside guest RAM, address + length wrapping 2^64"),
    ZERO_LENGTH("zero-length buffers, zero-length or missing status descriptor"),
    SHORT_HEADER("header shorter than 16 bytes or missing"),
    SECTOR_RANGE("sector out of range, sector x 512 overflowing"),
    DIRECTION("readable after writable, data direction contrary to the request type"),
    INDIRECT_ABUSE("indirect: length 0 or not a multiple of 16, nested, INDIRECT+NEXT, larger than the queue"),
    QUEUE_SIZE("queue size 0, not a power of two, above QueueNumMax"),
    AVAIL_JUMP("avail idx jumping by more than the queue size"),
    INDEX_WRAP("u16 index wraparound with requests in flight"),
    LIVE_QUEUE_REGISTERS("queue registers written, or control registers read at other widths, while the queue is "
            + "live"),
    DOUBLE_FETCH("descriptors changed by the driver after notify"),
    RESET_IN_FLIGHT("reset and queue reset with requests in flight, then reuse of the memory"),
    CONFIG_CHANGE("ConfigGeneration and configuration interrupts around a capacity change"),
    NEEDS_RESET("DEVICE_NEEDS_RESET signalling and recovery by reset"),
    EXHAUSTION("huge lengths and counts meant to exhaust the device"),
    SHORT_GET_ID("GET_ID into buffers shorter than 20 bytes, zone requests with no room for their answer"),
    NOT_READY("requests before DRIVER_OK or on a queue that is not ready");

    private final String title;

    BugClass(String title) {
        this.title = title;
    }

    /** The class's number, 1 to 19: its place in the list. */
    public int number() {
        return ordinal() + 1;
    }

    public String title() {
        return title;
    }

    @Override
    public String toString() {
        return number() + ". " + title;
    }
}
