package org.virtiotck.tck.adapter.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.adapter.reference.ReferenceDeviceFactory;

/** The KVM adapter on real hardware virtualization: accesses trap with the right width and reach the device. */
class KvmTargetTest {
    private KvmTarget kvm;

    @BeforeAll
    static void needKvm() {
        String why = KvmMachine.unavailableReason();
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    @BeforeEach
    void open() {
        kvm = new KvmTarget("kvm:reference", new ReferenceDeviceFactory(TargetUri.parse("reference")));
    }

    @AfterEach
    void close() {
        kvm.close();
    }

    @Test
    void registerReadsTrapWithTheirWidthAndReachTheDevice() {
        KvmMachine m = kvm.machine();
        long exits = m.mmioExits();
        assertThat(kvm.read(0x000, 4)).isEqualTo(0x74726976L); // MagicValue "virt"
        assertThat(m.mmioExits()).isEqualTo(exits + 1);
        assertThat(m.lastMmioGpa()).isEqualTo(KvmGuestStub.MMIO_BASE);
        assertThat(m.lastMmioLen()).isEqualTo(4);
        assertThat(m.lastMmioWrite()).isFalse();
        assertThat(kvm.read(0x004, 4)).isEqualTo(2);           // Version
        assertThat(kvm.read(0x008, 4)).isEqualTo(2);           // DeviceID: block
        long direct = kvm.device().read(0x100, 8);
        for (int width : new int[] {1, 2, 4, 8}) {
            long before = m.mmioExits(width);
            long v = kvm.read(0x100, width);                   // capacity, at every width
            long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
            assertThat(v).as("capacity read with width %d", width).isEqualTo(direct & mask);
            assertThat(m.mmioExits(width)).isEqualTo(before + 1);
            assertThat(m.lastMmioLen()).isEqualTo(width);
        }
    }

    @Test
    void registerWritesTrapWithTheirWidth() {
        KvmMachine m = kvm.machine();
        long before = m.mmioExits();
        kvm.write(0x070, 4, 1);                                  // Status = ACKNOWLEDGE
        assertThat(m.lastMmioWrite()).isTrue();
        assertThat(m.lastMmioGpa()).isEqualTo(KvmGuestStub.MMIO_BASE + 0x70);
        assertThat(m.lastMmioLen()).isEqualTo(4);
        assertThat(kvm.read(0x070, 4)).isEqualTo(1);
        kvm.write(0x070, 4, 0);
        assertThat(kvm.read(0x070, 4)).isZero();
        assertThat(m.mmioExits()).isEqualTo(before + 4);
        // one exit to MMIO and one to the done port per access
        assertThat(m.ioExits()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void guestRamIsTheDevicesRamAndInterruptsReachTheGuest() {
        assertThat(kvm.info().has(TargetInfo.Capability.VCPU)).isTrue();
        BlkDriver d = new BlkDriver(kvm).initializeOrFail();
        long guestIrqs = kvm.guestInterrupts();
        long edges = kvm.interrupts().orElseThrow().risingEdges();
        byte[] data = new byte[512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Completion w = d.write(3, data);
        assertThat(w.status()).isZero();
        Completion r = d.read(3, 512);
        assertThat(r.status()).isZero();
        assertThat(java.util.Arrays.copyOf(r.in(), 512)).isEqualTo(data);
        assertThat(kvm.interrupts().orElseThrow().risingEdges()).isGreaterThan(edges);
        // The device asserted the line during the trapped QueueNotify write; the guest took IRQ 5 on its vCPU.
        assertThat(kvm.guestInterrupts()).isGreaterThan(guestIrqs);
        assertThat(kvm.machine().guestLastVector()).isEqualTo(KvmGuestStub.VECTOR_BASE + KvmGuestStub.IRQ);
        assertThat(kvm.machine().picImr() & (1 << KvmGuestStub.IRQ)).as("guest unmasked IRQ 5").isZero();
    }

    @Test
    void everyAccessIsOneExitOfTheRequestedWidthOverAFullDriverRun() {
        KvmMachine m = kvm.machine();
        long exits = m.mmioExits();
        long io = m.ioExits();
        BlkDriver d = new BlkDriver(kvm).initializeOrFail();
        d.flush();
        long accesses = m.ioExits() - io;
        assertThat(m.mmioExits() - exits).isEqualTo(accesses).isGreaterThan(10);
    }

    @Test
    void hardResetGivesAFreshDeviceOnTheSameVm() {
        kvm.write(0x070, 4, 1);
        kvm.hardReset();
        assertThat(kvm.read(0x070, 4)).isZero();
        assertThat(kvm.read(0x000, 4)).isEqualTo(0x74726976L);
    }

    @Test
    void theProviderOpensGuardedTargets() {
        try (Target t = new KvmTargetProvider().open(TargetUri.parse("kvm:reference:legacy"))) {
            assertThat(t).isInstanceOf(GuardedTarget.class);
            assertThat(t.read(0x004, 4)).isEqualTo(1);
            assertThat(t.info().transportBase()).isEqualTo(KvmGuestStub.MMIO_BASE);
        }
    }
}
