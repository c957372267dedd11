package org.virtiotck.tck.sensitivity;

import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;
import static org.virtiotck.spec.MmioRegister.STATUS;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.tck.sensitivity.BrokenDevices.Bus;
import org.virtiotck.tck.sensitivity.BrokenDevices.Context;
import org.virtiotck.tck.sensitivity.BrokenDevices.NotifyGate;
import org.virtiotck.tck.sensitivity.BrokenDevices.OfferEditBus;
import org.virtiotck.tck.sensitivity.BrokenDevices.Variant;

/**
 * Devices that answer their registers but do not serve requests the way a device must, for the verdict model's
 * own sensitivity tests ({@link LivenessSensitivityTest}): the smoke stage must find the broken prerequisite with
 * the right id, block what depends on it, and never call a device that answers a HANG.
 */
final class LivenessBrokenDevices {
    private static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    private LivenessBrokenDevices() {}

    static Map<String, Variant> all() {
        return VARIANTS;
    }

    static Variant get(String name) {
        return VARIANTS.get(name);
    }

    private static void add(String name, String breaks, Function<Context, MmioDevice> decorator) {
        VARIANTS.put(name, new Variant(name, breaks, o -> o, decorator));
    }

    static {
        add("registers-only",
                "an early-stage device: identification, Status and the queue registers answer, the feature registers "
                        + "read 0 (so VERSION_1 is not offered) and QueueNotify does nothing",
                c -> new Bus(c.device()) {
                    // The device underneath is told VERSION_1 was accepted, so it stays consistent.
                    final OfferEditBus features = new OfferEditBus(c.device(), (sel, word) -> 0,
                            (sel, word) -> sel == 1 ? word | 1 : word);

                    @Override
                    public long read(long offset, int width) {
                        return features.read(offset, width);
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset != QUEUE_NOTIFY) {
                            features.write(offset, width, value);
                        }
                    }
                });

        add("never-serves",
                "a complete register file whose QueueNotify does nothing: no request is ever used",
                c -> new NotifyGate(c.device()) {
                    @Override
                    boolean dropping() {
                        return true;
                    }
                });

        add("loses-requests-after-reset",
                "serves requests until the driver resets it after DRIVER_OK; from then on every request is lost "
                        + "(QueueNotify does nothing) until the device is powered on again",
                c -> new NotifyGate(c.device()) {
                    boolean wasLive;
                    boolean lost;

                    @Override
                    boolean dropping() {
                        return lost;
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS) {
                            if (value == 0 && wasLive) {
                                lost = true;
                            }
                            wasLive |= (value & DeviceStatus.DRIVER_OK) != 0;
                        }
                        super.write(offset, width, value);
                    }
                });

        add("needs-reset-on-request",
                "answers the first QueueNotify after DRIVER_OK by setting DEVICE_NEEDS_RESET instead of serving the "
                        + "well-formed request, without a configuration change interrupt",
                c -> new Bus(c.device()) {
                    boolean needsReset;

                    @Override
                    public long read(long offset, int width) {
                        return BrokenDevices.needsResetShown(offset, super.read(offset, width), needsReset);
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS && value == 0) {
                            needsReset = false;
                        }
                        if (offset == QUEUE_NOTIFY && (device.status() & DeviceStatus.DRIVER_OK) != 0) {
                            needsReset = true;
                            return;
                        }
                        if (offset == STATUS) {
                            value &= ~DeviceStatus.DEVICE_NEEDS_RESET;
                        }
                        super.write(offset, width, value);
                    }
                });
    }
}
