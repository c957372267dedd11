package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.util.List;

import org.virtiotck.tck.spi.MemoryWindow;

/**
 * The QEMU machines the {@code qemu:} scheme can start, with where they put virtio-mmio transports, RAM and
 * the transports' interrupt lines (checked against QEMU 7.2's hw/arm/virt.c and hw/i386/microvm.c, and by
 * listing the QOM tree over QMP).
 */
enum QemuMachine {
    /**
     * arm virt: 32 transports of 0x200 bytes from 0x0a000000; transport i drives GIC SPI 16+i. QEMU plugs the
     * first -device into the highest slot (31, 0x0a003e00, SPI 47). The GIC is created without a QOM parent,
     * so it lives at /machine/unattached/device[N]; N is found by listing that container over QMP (type
     * arm_gic, or arm-gicv3 with gic-version=3). The GIC's unnamed gpio-in lines are numbered by SPI first,
     * so "IRQ raise 47" is transport 31. irq_intercept_out on the transport itself cannot work in 7.2: its
     * sysbus interrupt is a named gpio ("sysbus-irq") and qtest only intercepts unnamed ones.
     */
    AARCH64_VIRT("aarch64-virt", "qemu-system-aarch64", "virt", "aarch64 virt", 0x0a00_0000L, 32, 0x4000_0000L, 0) {
        @Override
        IrqRoute irqRoute(QmpClient qmp, int slot, int transports) throws IOException {
            for (String[] c : qmp.children("/machine/unattached")) {
                if (c[1].equals("arm_gic") || c[1].equals("arm-gicv3")) {
                    return new IrqRoute("/machine/unattached/" + c[0], false, 16 + slot);
                }
            }
            return null;
        }
    },
    /**
     * x86 microvm: transports of 0x200 bytes from 0xfeb00000. With ACPI (the default) there are two IOAPICs
     * and 24 transports wired to GSI 24+i, i.e. pin i of the second IOAPIC (/machine/unattached/device[N],
     * type ioapic; the first one is /machine/ioapic). With acpi=off, 8 transports on GSI 5+i of the first
     * IOAPIC; with ACPI but ioapic2=off, GSI 16+i. The device goes to the highest populated slot. RAM starts
     * at 0, but the first MiB holds the BIOS shadow, so the harness window starts at 1 MiB.
     */
    X86_64_MICROVM("x86_64-microvm", "qemu-system-x86_64", "microvm", "x86_64 microvm", 0xfeb0_0000L, 24,
            0L, 0x10_0000L) {
        @Override
        IrqRoute irqRoute(QmpClient qmp, int slot, int transports) throws IOException {
            List<String[]> kids = qmp.children("/machine/unattached");
            if (transports > 8) {
                for (String[] c : kids) {
                    if (c[1].equals("ioapic")) {
                        return new IrqRoute("/machine/unattached/" + c[0], false, slot);
                    }
                }
                return null;
            }
            boolean acpi = kids.stream().anyMatch(c -> c[1].equals("acpi-ged-x86"));
            return new IrqRoute("/machine/ioapic", false, (acpi ? 16 : 5) + slot);
        }
    };

    /** Where a transport's interrupt can be intercepted: a QOM path, in/out, and the line number reported. */
    record IrqRoute(String path, boolean out, int line) {
        @Override
        public String toString() {
            return (out ? "out:" : "") + path + ":" + line;
        }
    }

    final String id;
    final String binary;
    final String machine;
    final String label;
    final long mmioBase;
    final int slots;
    final long ramBase;
    /** Bytes at the start of RAM the harness window skips. */
    final long ramSkip;

    QemuMachine(String id, String binary, String machine, String label, long mmioBase, int slots, long ramBase,
                long ramSkip) {
        this.id = id;
        this.binary = binary;
        this.machine = machine;
        this.label = label;
        this.mmioBase = mmioBase;
        this.slots = slots;
        this.ramBase = ramBase;
        this.ramSkip = ramSkip;
    }

    MemoryWindow ramWindow(long ramBytes) {
        long usable = this == X86_64_MICROVM ? Math.min(ramBytes, 0xc000_0000L) : ramBytes;
        return new MemoryWindow(ramBase + ramSkip, usable - ramSkip);
    }

    abstract IrqRoute irqRoute(QmpClient qmp, int slot, int transports) throws IOException;

    static QemuMachine byId(String id) {
        for (QemuMachine m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        return null;
    }

    static String ids() {
        StringBuilder b = new StringBuilder();
        for (QemuMachine m : values()) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(m.id);
        }
        return b.toString();
    }
}
