package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import org.virtiotck.fuzz.program.Op;

/** How the executor classifies ops around notifications. */
final class NotifyOps {
    private static final int WINDOW = 0x200;

    private NotifyOps() {
    }

    /**
     * Whether an op may change which chains are available or what they point to (or reset the device). An
     * asynchronous device may serve any available chain at any moment after DRIVER_OK, notified or not
     * (split-desc.dev.3), so before such an op the chains available so far are the device's to write.
     */
    static boolean changesWhatIsAvailable(Op op) {
        return op instanceof Op.Descriptor || op instanceof Op.IndirectTable || op instanceof Op.Avail
                || op instanceof Op.AvailIdx || op instanceof Op.QueueSetup || op instanceof Op.SetStatus
                || op instanceof Op.Write || op instanceof Op.QueueReady || op instanceof Op.QueueReset;
    }

    /**
     * The queue an op notifies, or {@link Integer#MIN_VALUE}: a Notify op, or a plain 32-bit write to QueueNotify
     * (observed the same way, so an asynchronous device gets the same bounded wait). With NOTIFICATION_DATA the
     * queue index is the low 16 bits; the harness reads the value's low 16 bits when they name a tracked queue.
     */
    static int notifiedQueue(Op op) {
        if (op instanceof Op.Notify n) {
            return n.queue();
        }
        if (op instanceof Op.Write w && (w.offset() & (WINDOW - 1)) == QUEUE_NOTIFY && w.width() == 4) {
            long v = w.value() & 0xffffffffL;
            return v < LayoutTracker.MAX_QUEUES ? (int) v : (int) (v & 0xffff);
        }
        return Integer.MIN_VALUE;
    }

    static long notifyValue(Op op) {
        return op instanceof Op.Notify n ? n.queue() & 0xffffffffL : ((Op.Write) op).value() & 0xffffffffL;
    }
}
