/**
 * Targets driven through QEMU's qtest protocol: a line-based text protocol on a character device in which
 * the client reads and writes guest-physical memory and MMIO ({@code readl ADDR}, {@code writel ADDR VALUE},
 * {@code b64read ADDR SIZE}, {@code b64write ADDR SIZE DATA}, ...) and may intercept interrupt lines
 * ({@code irq_intercept_in QOM-PATH}), after which QEMU sends {@code IRQ raise N} / {@code IRQ lower N} lines
 * at any time between answers.
 *
 * <h2>URIs</h2>
 * <ul>
 *   <li>{@code qemu:[aarch64-virt|x86_64-microvm][?legacy=false&disk=64M&queues=N&props=K=V,...&ram=128M
 *       &qemu=PATH&args=...&timeout=10000&image=PATH&irq=none|[out:]QOMPATH:N]} - the kit starts QEMU with
 *       {@code -S -qtest stdio} (vCPUs never run) and a QMP socket; see {@link
 *       org.virtiotck.tck.adapter.qtest.QemuTargetProvider}.</li>
 *   <li>{@code qtest:unix:/PATH?base=0x0a003e00&ram=0x40000000+256M[&irq=QOMPATH:N][&image=PATH][&timeout=MS]},
 *       {@code qtest:tcp:127.0.0.1:PORT?...} (loopback only), {@code qtest:exec:COMMAND?...} - an existing
 *       qtest server; see {@link org.virtiotck.tck.adapter.qtest.QtestTargetProvider}.</li>
 * </ul>
 *
 * <h2>Machines (QEMU 7.2)</h2>
 * <ul>
 *   <li>aarch64 virt: 32 transports at 0x0a000000 + i*0x200; the device sits in slot 31 (0x0a003e00); RAM at
 *       0x40000000; interrupts intercepted on the GIC ({@code /machine/unattached/device[1]}, found by QOM
 *       type over QMP), line 16 + slot = 47.</li>
 *   <li>x86_64 microvm: 24 transports at 0xfeb00000 + i*0x200 (ACPI on, two IOAPICs); the device sits in
 *       slot 23 (0xfeb02e00); RAM from 0 (the kit's window starts at 1 MiB); interrupts intercepted on the
 *       second IOAPIC (QOM type ioapic under /machine/unattached), pin = slot = 23.</li>
 * </ul>
 * The transport is found by reading MagicValue and DeviceID over every slot at start-up.
 *
 * <h2>Design</h2>
 * No reader thread: the calling thread writes its command and reads the answer itself, routing IRQ lines it
 * meets; interrupt queries first send a harmless ping so that IRQ lines QEMU sent while nobody was calling
 * get read. A watchdog thread enforces the per-call timeout by aborting the link (which unblocks the
 * caller). See {@link org.virtiotck.tck.adapter.qtest.QtestConnection}. {@link
 * org.virtiotck.tck.adapter.qtest.QtestBench} compares the adapter with a raw ping loop on the same link.
 */
package org.virtiotck.tck.adapter.qtest;
