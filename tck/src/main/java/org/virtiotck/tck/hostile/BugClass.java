package org.virtiotck.tck.hostile;

/** The 19 classes of driver misbehaviour the hostile suites cover. */
public enum BugClass {
    LOOPS(1, "descriptor loops and chains longer than the queue"),
    INDEX_OUT_OF_RANGE(2, "head or next index out of range"),
    ADDRESS_OUTSIDE_RAM(3, "buffer address outside guest RAM, address + length wrapping 2^64"),
    ZERO_LENGTH(4, "zero-length buffers, zero-length or missing status descriptor"),
    SHORT_HEADER(5, "header shorter than 16 bytes or missing"),
    SECTOR_RANGE(6, "sector out of range, sector x 512 overflowing"),
    DIRECTION(7, "readable after writable, data direction contrary to the request type"),
    INDIRECT_ABUSE(8, "indirect: length 0 or not a multiple of 16, nested, INDIRECT+NEXT, larger than the queue"),
    QUEUE_SIZE(9, "queue size 0, not a power of two, above QueueNumMax"),
    AVAIL_JUMP(10, "avail idx jumping by more than the queue size"),
    INDEX_WRAP(11, "u16 index wraparound with requests in flight"),
    LIVE_QUEUE_REGISTERS(12, "queue registers written while the queue is live"),
    DOUBLE_FETCH(13, "descriptors changed by the driver after notify"),
    RESET_IN_FLIGHT(14, "reset and queue reset with requests in flight, then reuse of the memory"),
    CONFIG_CHANGE(15, "ConfigGeneration and configuration interrupts around a capacity change"),
    NEEDS_RESET(16, "DEVICE_NEEDS_RESET signalling and recovery by reset"),
    EXHAUSTION(17, "huge lengths and counts meant to exhaust the device"),
    SHORT_GET_ID(18, "GET_ID into buffers shorter than 20 bytes"),
    NOT_READY(19, "requests before DRIVER_OK or on a queue that is not ready");

    private final int number;
    private final String title;

    BugClass(int number, String title) {
        this.number = number;
        this.title = title;
    }

    public int number() {
        return number;
    }

    public String title() {
        return title;
    }

    @Override
    public String toString() {
        return number + ". " + title;
    }
}
