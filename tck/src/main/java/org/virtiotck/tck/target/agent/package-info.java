/**
 * The {@code agent:} target: a virtio-mmio device inside a real VMM (QEMU, Firecracker, crosvm, a
 * Hypervisor.framework hypervisor), driven through the kit's bare-metal guest agent (the {@code agent/} module)
 * over the VMM's serial port. The agent speaks the qtest subset the kit uses, so the qtest adapter's
 * connection, links and target do the work; this package adds the greeting, the hello line and the launch logic.
 */
package org.virtiotck.tck.target.agent;
