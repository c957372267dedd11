package org.virtiotck.tck.suites;

import static org.virtiotck.spec.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.spec.DeviceStatus.DRIVER;
import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.ChainLayout;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.gen.Gen;
import org.virtiotck.tck.gen.Property;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * Property-based checks with the project's seeded generators and shrinking: perturbed initialization
 * sequences, random feature subsets, and random request mixes checked against a model of the disk.
 * A failure prints its seed and the shrunk counterexample; {@code -Dvirtio.seed=S} replays it.
 */
@Requires({Prerequisite.REQUEST_COMPLETES, Prerequisite.RESET_WORKS})
@VirtioSuite("init")
class PropertySuite {

    /** The steps of a careful initialization, in the order a Linux guest takes them. */
    enum Step {
        IDENTIFY, RESET, ACKNOWLEDGE, DRIVER, READ_FEATURES, WRITE_FEATURES, FEATURES_OK, QUEUES, READ_CONFIG,
        DRIVER_OK;

        static final List<Step> LINUX_ORDER = List.of(values());
    }

    /** Reads that a careful driver may add anywhere without breaking a rule. */
    enum HarmlessRead {
        STATUS, MAGIC, VERSION, DEVICE_ID, VENDOR_ID, INTERRUPT_STATUS, CAPACITY, NUM_QUEUES
    }

    record Insertion(int position, HarmlessRead read) {
        @Override
        public String toString() {
            return read + "@" + position;
        }
    }

    private static void run(BlkDriver d, Step step, long wanted) {
        switch (step) {
            case IDENTIFY -> d.identify();
            case RESET -> d.reset();
            case ACKNOWLEDGE -> d.addStatus(ACKNOWLEDGE);
            case DRIVER -> d.addStatus(DRIVER);
            case READ_FEATURES -> d.readDeviceFeatures();
            case WRITE_FEATURES -> d.writeDriverFeatures(d.choose(wanted));
            case FEATURES_OK -> {
                if (!d.legacy()) {
                    d.featuresOk();
                }
            }
            case QUEUES -> {
                if (d.legacy()) {
                    d.writeGuestPageSize();
                }
                d.setupQueue(0, 0);
            }
            case READ_CONFIG -> d.readConfig();
            case DRIVER_OK -> d.driverOk();
        }
    }

    private static void read(BlkDriver d, HarmlessRead r) {
        switch (r) {
            case STATUS -> d.mmio().status();
            case MAGIC -> d.mmio().read(MAGIC_VALUE);
            case VERSION -> d.mmio().read(VERSION);
            case DEVICE_ID -> d.mmio().read(DEVICE_ID);
            case VENDOR_ID -> d.mmio().read(VENDOR_ID);
            case INTERRUPT_STATUS -> d.mmio().read(INTERRUPT_STATUS);
            case CAPACITY -> d.mmio().config64(Blk.CFG_CAPACITY);
            case NUM_QUEUES -> d.mmio().config16(Blk.CFG_NUM_QUEUES);
        }
    }

    /** A write and a read back on a device the caller has initialized. */
    private static void roundTrip(BlkDriver d, long seed) {
        byte[] data = SuiteData.pattern(1024, seed);
        Completion w = d.write(2, data);
        Expect.equal("write status", Blk.statusName(Blk.S_OK), w.statusName());
        Completion r = d.read(2, 1024);
        Expect.that(Arrays.equals(data, r.in()), "read returns the written bytes", "different bytes");
    }

    @Test
    @Verifies({"features.dev.2", "status.dev.1"})
    void harmlessReadsAnywhereInTheInitSequenceChangeNothing(Tck tck) {
        Gen<List<Insertion>> insertions = Gen.listOf(
                Gen.zip(Gen.ints(0, Step.LINUX_ORDER.size()), Gen.enums(HarmlessRead.class), Insertion::new), 0, 12);
        Property.forAll(insertions).name("harmless reads during init").tries(60)
                .assertHoldsThrowing(list -> {
                    BlkDriver d = new BlkDriver(tck.target());
                    for (int i = 0; i <= Step.LINUX_ORDER.size(); i++) {
                        for (Insertion ins : list) {
                            if (ins.position() == i) {
                                read(d, ins.read());
                            }
                        }
                        if (i < Step.LINUX_ORDER.size()) {
                            run(d, Step.LINUX_ORDER.get(i), -1L);
                        }
                    }
                    roundTrip(d, list.size());
                });
    }

    @Test
    @Verifies({"reset.dev.1", "features.dev.5"})
    @BreaksDriverRules("takes the initialization steps in a random, often forbidden, order")
    void anyInitOrderIsRecoverableByReset(Tck tck) {
        Gen<List<Step>> perturbed = Gen.zip(Gen.shuffle(Step.LINUX_ORDER), Gen.ints(1, Step.LINUX_ORDER.size()),
                (shuffled, keep) -> List.copyOf(shuffled.subList(0, keep)));
        Property.forAll(perturbed).name("perturbed init, then reset and careful init").tries(60)
                .assertHoldsThrowing(steps -> {
                    BlkDriver wild = new BlkDriver(tck.target());
                    for (Step s : steps) {
                        try {
                            run(wild, s, -1L);
                        } catch (org.virtiotck.tck.driver.HarnessError | AssertionError refused) {
                            // The driver's own checks (queue already in use, ...) may stop a wild sequence early.
                            break;
                        }
                    }
                    // Whatever happened, a reset must bring Status back to 0 and a careful init must work.
                    BlkDriver careful = new BlkDriver(tck.target());
                    careful.identify();
                    Expect.that(careful.reset(), "Status reads 0 after reset", "Status = 0x"
                            + Integer.toHexString(careful.mmio().status()));
                    BlkDriver.Init init = careful.initialize(-1L);
                    Expect.that(init.ok(), "careful initialization after " + steps, String.valueOf(init.problem()));
                    roundTrip(careful, steps.size());
                });
    }

    @Test
    @Verifies("features.dev.2")
    void randomFeatureSubsetsAreAcceptedAndWork(Tck tck) {
        long offered = tck.offeredFeatures() & BlkDriver.SUPPORTED_FEATURES;
        Property.forAll(Gen.subsetOf(offered)).name("random feature subsets").tries(60)
                .describedBy(FeatureBit::describe)
                .assertHoldsThrowing(subset -> {
                    long wanted = subset;
                    if (FeatureBit.has(wanted, FeatureBit.BLK_CONFIG_WCE)) {
                        wanted |= FeatureBit.mask(FeatureBit.BLK_FLUSH) & offered; // CONFIG_WCE depends on FLUSH
                    }
                    if (FeatureBit.has(wanted, FeatureBit.BLK_RO)) {
                        wanted &= ~FeatureBit.mask(FeatureBit.BLK_RO);
                    }
                    BlkDriver d = new BlkDriver(tck.target());
                    BlkDriver.Init init = d.initialize(wanted);
                    Expect.that(init.ok(), "FEATURES_OK kept for " + FeatureBit.describe(init.negotiated()),
                            String.valueOf(init.problem()));
                    if (!tck.offers(FeatureBit.BLK_RO)) {
                        roundTrip(d, wanted);
                    }
                });
    }

    /** One request of a random mix. */
    sealed interface Op {
        record Write(int sector, int sectors, long seed, ChainLayout layout) implements Op {}
        record Read(int sector, int sectors, ChainLayout layout) implements Op {}
        record Flush() implements Op {}
        record WriteZeroes(int sector, int sectors) implements Op {}
    }

    private static final int MODEL_SECTORS = 64;

    @Test
    @Verifies({"blk-desc.dev.7", "split.dev.1", "blk.dev.27"})
    void randomRequestMixesMatchADiskModel(Tck tck) {
        tck.assumeNotOffered(FeatureBit.BLK_RO);
        boolean indirect = tck.offers(FeatureBit.INDIRECT_DESC);
        boolean zeroes = tck.offers(FeatureBit.BLK_WRITE_ZEROES);
        List<ChainLayout> layouts = new ArrayList<>(List.of(ChainLayout.SEPARATE, ChainLayout.FRAGMENTED,
                ChainLayout.MERGED));
        if (indirect) {
            // Direct descriptors followed by an indirect one are split.dev.8's own test; here only whole tables.
            layouts.add(ChainLayout.INDIRECT);
        }
        Gen<Integer> sector = Gen.ints(0, MODEL_SECTORS - 1);
        Gen<Integer> count = Gen.ints(1, 8);
        Gen<ChainLayout> layout = Gen.oneOf(layouts);
        Gen<Op> write = Gen.zip(sector, count, Gen.longs(), layout,
                (s, n, seed, l) -> new Op.Write(s, Math.min(n, MODEL_SECTORS - s), seed, l));
        Gen<Op> read = Gen.zip(sector, count, layout, (s, n, l) -> new Op.Read(s, Math.min(n, MODEL_SECTORS - s), l));
        List<Gen.Weighted<? extends Op>> options = new ArrayList<>(List.of(Gen.weighted(4, write),
                Gen.weighted(4, read), Gen.weighted(1, Gen.constant(new Op.Flush()))));
        if (zeroes) {
            options.add(Gen.weighted(1, Gen.zip(sector, count,
                    (s, n) -> (Op) new Op.WriteZeroes(s, Math.min(n, MODEL_SECTORS - s)))));
        }
        Gen<List<Op>> mixes = Gen.listOf(Gen.frequency(options), 1, 24);
        Property.forAll(mixes).name("random request mix vs disk model").tries(40)
                .assertHoldsThrowing(ops -> {
                    BlkDriver d = new BlkDriver(tck.target()).initializeOrFail();
                    byte[] model = new byte[MODEL_SECTORS * Blk.SECTOR_SIZE];
                    // Start from a known state: the model region is written as zeroes first.
                    Expect.equal("initial clear", Blk.statusName(Blk.S_OK), d.write(0, model).statusName());
                    for (Op op : ops) {
                        apply(d, model, op);
                    }
                });
    }

    private static void apply(BlkDriver d, byte[] model, Op op) {
        switch (op) {
            case Op.Write w -> {
                byte[] data = SuiteData.pattern(w.sectors() * Blk.SECTOR_SIZE, w.seed());
                Completion c = d.submit(BlkRequest.write(w.sector(), data).withLayout(w.layout()));
                Expect.equal(op + " status", Blk.statusName(Blk.S_OK), c.statusName());
                System.arraycopy(data, 0, model, w.sector() * Blk.SECTOR_SIZE, data.length);
            }
            case Op.Read r -> {
                Completion c = d.submit(BlkRequest.read(r.sector(), r.sectors() * Blk.SECTOR_SIZE)
                        .withLayout(r.layout()));
                Expect.equal(op + " status", Blk.statusName(Blk.S_OK), c.statusName());
                byte[] expected = Arrays.copyOfRange(model, r.sector() * Blk.SECTOR_SIZE,
                        (r.sector() + r.sectors()) * Blk.SECTOR_SIZE);
                Expect.that(Arrays.equals(expected, c.in()), op + " returns what the model holds",
                        "different bytes");
            }
            case Op.Flush f -> {
                if (d.negotiated(FeatureBit.BLK_FLUSH)) {
                    Expect.equal("FLUSH status", Blk.statusName(Blk.S_OK), d.flush().statusName());
                }
            }
            case Op.WriteZeroes z -> {
                Completion c = d.submit(BlkRequest.ranges(Blk.T_WRITE_ZEROES,
                        new BlkRequest.Segment(z.sector(), z.sectors(), 0)));
                Expect.equal(op + " status", Blk.statusName(Blk.S_OK), c.statusName());
                Arrays.fill(model, z.sector() * Blk.SECTOR_SIZE, (z.sector() + z.sectors()) * Blk.SECTOR_SIZE,
                        (byte) 0);
            }
        }
    }
}
