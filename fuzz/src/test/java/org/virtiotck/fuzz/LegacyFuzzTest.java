package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Observation;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramCodec;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.spec.Blk;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Targets;

/** Legacy (Version 1) transports: legacy queue setup, served requests, and a short campaign. */
class LegacyFuzzTest {

    @Test
    void unmutatedLegacyProgramsSetUpTheQueueTheLegacyWayAndGetTheirRequestsServed() {
        try (Harness h = Harness.forTarget(Targets.open("reference:legacy"), "reference:legacy", 0)) {
            assertThat(h.profile().legacy()).isTrue();
            assertThat(h.oracle().read(org.virtiotck.spec.MmioRegister.VERSION, 4)).isEqualTo(1); // oracle legacy too
            ProgramGen gen = new ProgramGen(h.profile(), 0);
            int ok = 0;
            for (long seed = 0; seed < 200; seed++) {
                Program p = gen.generate(Source.random(seed));
                List<Op.QueueSetup> setups = p.ops().stream().filter(o -> o instanceof Op.QueueSetup)
                        .map(o -> (Op.QueueSetup) o).toList();
                assertThat(setups).allMatch(Op.QueueSetup::legacy);
                assertThat(p.ops()).noneMatch(o -> o instanceof Op.QueueReady);
                assertThat(p.ops()).noneMatch(o -> o instanceof Op.SetStatus s && (s.value() & 8) != 0); // FEATURES_OK
                assertThat(ProgramJson.fromJson(ProgramJson.toJson(p))).isEqualTo(p);
                assertThat(ProgramCodec.GEN.replay(ProgramCodec.encode(p))).isEqualTo(p);

                assertThat(h.run(p)).as("seed %d:%n%s", seed, p.describe()).isNull();
                Observation r = h.referenceObservation();
                assertThat(r.violations()).as("seed %d:%n%s", seed, p.describe()).isEmpty();
                for (int i = 0; i < r.usedCount(); i++) {
                    if (r.usedStatus(i) == Blk.S_OK) {
                        ok++;
                    }
                }
            }
            assertThat(ok).as("requests completed OK on the legacy queue").isGreaterThan(100);
        }
    }

    @Test
    void aSeededCampaignAgainstTheLegacyReferenceFindsNothingAndReachesTheLegacyDataPath() {
        // A fixed number of execs, not a time budget, so the same programs run on every machine (a time budget
        // made the test's reach depend on the machine's speed).
        Campaign.Result r = new Campaign(CampaignConfig.of("reference:legacy", Duration.ofSeconds(120), 100_000L, 21))
                .run();
        assertThat(r.harnessError()).isNull();
        assertThat(r.report().findings()).as("findings: %s", r.report().findings()).isEmpty();
        assertThat(r.report().execs()).isGreaterThan(1000);
        // Driver rules of the request path (rings, descriptors, block requests) are reachable only once a legacy
        // queue is live (QueuePFN); before legacy setup existed a legacy campaign touched none of them.
        assertThat(r.report().coverage().driverRules())
                .anyMatch(id -> id.startsWith("split.drv.") || id.startsWith("blk"));
        assertThat(r.report().coverage().driverRules()).anyMatch(id -> id.startsWith("mmio-legacy.drv."));
    }
}
