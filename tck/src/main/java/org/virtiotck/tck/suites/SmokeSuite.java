package org.virtiotck.tck.suites;

import org.junit.jupiter.api.Test;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * The smoke stage as tests: what the session measured once, before the other suites ran, about each
 * {@link Prerequisite}. A failed prerequisite is a FAIL here with the ids whose conditions held (see
 * {@link org.virtiotck.tck.junit.SmokeStage}); the tests that need it are BLOCKED by it. A prerequisite that
 * could not be measured because an earlier one failed is BLOCKED itself.
 */
@VirtioSuite("smoke")
class SmokeSuite {

    @Test
    @Verifies({"mmio.dev.1", "mmio.dev.2", "blk-desc.dev.1"})
    void deviceIdentifiesItself(Tck tck) {
        tck.reportPrerequisite(Prerequisite.IDENTIFIES);
    }

    @Test
    @Verifies({"reset.dev.1", "reserved.dev.1", "features.dev.2"})
    void featuresNegotiate(Tck tck) {
        tck.reportPrerequisite(Prerequisite.FEATURES_NEGOTIATE);
    }

    @Test
    @Verifies({"mmio.dev.6", "mmio-legacy.dev.5", "blk-desc.dev.2", "mmio-desc.dev.5"})
    void aQueueCanBeSetUp(Tck tck) {
        tck.reportPrerequisite(Prerequisite.QUEUE_SETUP);
    }

    @Test
    @Verifies({"blk-desc.dev.10", "status.dev.3", "status.dev.4"})
    void oneRequestCompletes(Tck tck) {
        tck.reportPrerequisite(Prerequisite.REQUEST_COMPLETES);
    }

    @Test
    @Verifies("split.dev.11")
    void interruptsArrive(Tck tck) {
        tck.reportPrerequisite(Prerequisite.INTERRUPTS_ARRIVE);
    }

    @Test
    @Verifies({"reset.dev.1", "reserved.dev.1", "features.dev.2", "mmio.dev.6", "mmio-legacy.dev.5", "blk-desc.dev.2",
            "mmio-desc.dev.5", "blk-desc.dev.10", "status.dev.3", "status.dev.4"})
    void resetWorks(Tck tck) {
        tck.reportPrerequisite(Prerequisite.RESET_WORKS);
    }
}
