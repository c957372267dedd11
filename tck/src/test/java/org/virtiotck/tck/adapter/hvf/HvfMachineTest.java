package org.virtiotck.tck.adapter.hvf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.adapter.reference.ReferenceDeviceFactory;
import org.virtiotck.tck.testkit.SuiteRunner;

/** The HVF VMM logic over the simulated backend: trapped accesses, syndrome-driven emulation, interrupts. */
class HvfMachineTest {
    private SimulatedHvf sim;
    private HvfTarget hvf;

    @BeforeEach
    void open() {
        sim = new SimulatedHvf();
        hvf = new HvfTarget(sim, "hvf:reference", new ReferenceDeviceFactory(TargetUri.parse("reference")));
    }

    @AfterEach
    void close() {
        hvf.close();
    }

    @Test
    void readsOfEveryWidthAbortWithTheirSizeAndLandInTheRightRegister() {
        HvfMachine m = hvf.machine();
        assertThat(hvf.read(0x000, 4)).isEqualTo(0x74726976L);
        DataAbort a = m.lastAbort();
        assertThat(a.ipa()).isEqualTo(HvfGuestStub.MMIO_BASE);
        assertThat(a.width()).isEqualTo(4);
        assertThat(a.write()).isFalse();
        assertThat(a.register()).isZero();
        long capacity = hvf.device().read(0x100, 8);
        for (int w : new int[] {1, 2, 4, 8}) {
            long before = m.dataAborts(w);
            long mask = w == 8 ? -1L : (1L << (8 * w)) - 1;
            assertThat(hvf.read(0x100, w)).isEqualTo(capacity & mask);
            assertThat(m.dataAborts(w)).isEqualTo(before + 1);
            assertThat(m.lastAbort().sixtyFour()).isEqualTo(w == 8);
        }
    }

    @Test
    void writesTakeTheValueFromTheTransferRegister() {
        HvfMachine m = hvf.machine();
        hvf.write(0x070, 4, 1);
        assertThat(m.lastAbort().write()).isTrue();
        assertThat(m.lastAbort().register()).isEqualTo(4);
        assertThat(hvf.read(0x070, 4)).isEqualTo(1);
        assertThat(m.hvcExits()).isEqualTo(2);
    }

    @Test
    void blockIoWorksAndTheGuestSeesTheIrqPending() {
        BlkDriver d = new BlkDriver(hvf).initializeOrFail();
        byte[] data = new byte[512];
        data[0] = 1;
        d.post(0, org.virtiotck.tck.driver.BlkRequest.write(2, data));
        // post + kick without servicing: the line stays high until InterruptACK
        assertThat(hvf.interrupts().orElseThrow().asserted()).isTrue();
        hvf.read(0x060, 4);
        assertThat(hvf.guestSawIrq()).as("ISR_EL1.I read by the guest while the line is high").isTrue();
        hvf.write(0x064, 4, hvf.read(0x060, 4));
        hvf.read(0x000, 4);
        assertThat(hvf.guestSawIrq()).isFalse();
    }

    @Test
    void theWholeTckPassesThroughTheSimulatedHvfTarget() throws IOException {
        String saved = System.setProperty(HvfTargetProvider.BACKEND_PROPERTY, "simulated");
        try {
            RunReport r = SuiteRunner.certify("hvf:reference");
            System.out.println("hvf:reference (simulated backend): " + SuiteRunner.counts(r));
            assertThat(SuiteRunner.problems(r)).isEmpty();
            assertThat(SuiteRunner.verdicts(r)).isEqualTo(SuiteRunner.verdicts(SuiteRunner.certify("reference")));
            assertThat(SuiteRunner.counts(r).getOrDefault(Verdict.PASS, 0L)).isGreaterThan(50);
        } finally {
            if (saved == null) {
                System.clearProperty(HvfTargetProvider.BACKEND_PROPERTY);
            } else {
                System.setProperty(HvfTargetProvider.BACKEND_PROPERTY, saved);
            }
        }
    }
}
