package org.virtiotck.fuzz.exec;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;
import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.adapter.reference.ReferenceTargetProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetUri;

/** A reference device that does something more (a broken variant's misdeed) after each QueueNotify it served. */
final class AfterNotify {
    private AfterNotify() {
    }

    /** {@code then} gets the target and the notify's number (1 for the first). */
    static Target open(String uri, ObjIntConsumer<Target> then) {
        AtomicReference<Target> self = new AtomicReference<>();
        int[] notifies = {0};
        Target t = new ReferenceTargetProvider().open(TargetUri.parse(uri), d -> new ForwardingMmioDevice(d) {
            @Override
            public void write(long offset, int width, long value) {
                super.write(offset, width, value);
                if (offset == MmioRegister.QUEUE_NOTIFY) {
                    then.accept(self.get(), ++notifies[0]);
                }
            }
        });
        self.set(t);
        return t;
    }
}
