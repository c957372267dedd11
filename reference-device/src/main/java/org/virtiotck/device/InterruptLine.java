package org.virtiotck.device;

/** The device's interrupt output. virtio-mmio interrupts are level-triggered: asserted while InterruptStatus != 0. */
@FunctionalInterface
public interface InterruptLine {

    void setLevel(boolean asserted);

    InterruptLine NONE = asserted -> {};
}
