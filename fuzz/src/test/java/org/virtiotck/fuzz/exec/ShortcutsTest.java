package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.fuzz.bench.FuzzBench;
import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.fuzz.gen.Mutations;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.adapter.reference.ReferenceTargetProvider;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Targets;
import org.virtiotck.tck.spi.TargetUri;

/**
 * The executor's shortcuts ({@link Executor#withoutShortcuts}: the device view that keeps QueueNumMax followed
 * only while it counts) decide nothing: for seeded generated and mutated programs, a harness with them and one
 * without give the same complaint (or none), the same behaviour features, the same driver-rule record, the same
 * observations and canary verdicts, the same model of what the device may write, and leave the same guest memory,
 * program after program, with the device as its own oracle and with a second device as the oracle. The shortcuts
 * must also have applied often, or the comparison proves nothing.
 */
class ShortcutsTest {
    private static final int PROGRAMS = 2000;

    @ParameterizedTest
    @ValueSource(strings = {"reference", "reference:legacy", "two:reference", "two:reference:legacy"})
    void withAndWithoutShortcutsJudgeAlike(String how) {
        boolean two = how.startsWith("two:");
        String uri = two ? how.substring(4) : how;
        try (Harness cached = open(uri, two); Harness exact = open(uri, two)) {
            exact.withoutShortcuts();
            byte[] ramA = new byte[ShadowArena.ARENA];
            byte[] ramB = new byte[ShadowArena.ARENA];
            ProgramGen gen = new ProgramGen(cached.profile());
            Mutations mutations = gen.mutations();
            SplittableRandom rng = new SplittableRandom(23);
            Program previous = null;
            for (int i = 0; i < PROGRAMS; i++) {
                Program p = gen.generate(Source.random(rng.nextLong()));
                if (previous != null && i % 3 != 0) {
                    p = mutations.apply(Mutations.Strategy.values()[i % Mutations.Strategy.values().length],
                            previous, Source.random(rng.nextLong()));
                }
                previous = p;
                Complaint a = cached.run(p);
                Complaint b = exact.run(p);
                String at = how + ", program " + i + " (seed 23)\n" + p.describe();
                assertThat(a == null ? null : a.signature()).as(at).isEqualTo(b == null ? null : b.signature());
                assertThat(features(cached, p)).as(at).isEqualTo(features(exact, p));
                assertThat(verdicts(cached.referenceObservation())).as(at)
                        .isEqualTo(verdicts(exact.referenceObservation()));
                assertThat(verdicts(cached.targetObservation())).as(at)
                        .isEqualTo(verdicts(exact.targetObservation()));
                assertThat(cached.referenceObservation().violations()).as(at)
                        .isEqualTo(exact.referenceObservation().violations());
                assertThat(cached.disksInSync()).as(at).isEqualTo(exact.disksInSync());
                assertThat(cached.oracleExecutor().arena.allowances()).as("what the device may write, " + at)
                        .isEqualTo(exact.oracleExecutor().arena.allowances());
                for (Harness h : new Harness[] {cached, exact}) {
                    h.target().readMemory(h.target().ram().base(), h == cached ? ramA : ramB, 0, ramA.length);
                }
                assertThat(Arrays.mismatch(ramA, ramB)).as("first arena byte that differs, " + at).isEqualTo(-1);
            }
            long[] used = cached.oracleExecutor().shortcutCounts();
            assertThat(used[0]).as("register writes not followed in the QueueNumMax view").isGreaterThan(PROGRAMS);
            assertThat(exact.oracleExecutor().shortcutCounts()).as("no shortcuts taken").containsExactly(0);
        }
    }

    /**
     * The QueueNumMax view once a size is kept after the ring addresses were written (a driver that writes an
     * invalid QueueNum last): the view must hold the addresses written before, as when it followed every write.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 0, 100000})
    void anInvalidQueueNumAfterTheAddressesKeepsThemInTheQueueNumMaxView(int invalid) {
        List<Op> ops = new ArrayList<>(FuzzBench.benchProgram().ops());
        int setup = 0;
        while (!(ops.get(setup) instanceof Op.QueueSetup)) {
            setup++;
        }
        ops.add(setup + 1, new Op.Write(MmioRegister.QUEUE_NUM, 4, invalid));
        Program p = new Program(ops);
        try (Harness lazy = open("reference", false); Harness exact = open("reference", false)) {
            exact.withoutShortcuts();
            assertThat(lazy.run(p) == null).isEqualTo(exact.run(p) == null);
            List<List<Long>> allowed = lazy.oracleExecutor().arena.allowances();
            assertThat(allowed).isEqualTo(exact.oracleExecutor().arena.allowances());
            assertThat(lazy.oracleExecutor().shortcutCounts()[0]).as("writes not followed").isPositive();
        }
    }

    private static Harness open(String uri, boolean secondDevice) {
        if (!secondDevice) {
            return Harness.forTarget(Targets.open(uri), uri, 0);
        }
        return Harness.forTarget(new ReferenceTargetProvider().open(TargetUri.parse(uri), ForwardingMmioDevice::new),
                uri, 0);
    }

    /** What a run observed and what the canary oracle and the model decided in it. */
    private static List<Object> verdicts(Observation o) {
        int u = o.used;
        return List.of(o.canaryBytes, o.canaryAsDataBytes, o.canaryFirst, o.canaryUnchecked, o.ringsWritable,
                o.violationOp, o.layoutOp, o.needsResetOp, Arrays.toString(Arrays.copyOf(o.kind, o.n)),
                Arrays.toString(Arrays.copyOf(o.op, o.n)), Arrays.toString(Arrays.copyOf(o.value, o.n)),
                Arrays.toString(Arrays.copyOf(o.uLen, u)), Arrays.toString(Arrays.copyOf(o.uStatus, u)),
                Arrays.toString(Arrays.copyOf(o.uWritable, u)), Arrays.toString(Arrays.copyOf(o.uExtent, u)),
                Arrays.toString(Arrays.copyOf(o.uType, u)), Arrays.toString(Arrays.copyOf(o.uShared, u)),
                Arrays.toString(Arrays.copyOf(o.uHeaderOverlap, u)),
                Arrays.toString(Arrays.copyOf(o.uHeaderWritten, u)), Arrays.toString(Arrays.copyOf(o.uSector, u)),
                Arrays.toString(Arrays.copyOf(o.uDataOut, u)), Arrays.toString(Arrays.copyOf(o.uZeroLen, u)),
                Arrays.toString(Arrays.copyOf(o.uNonHeadIndirect, u)));
    }

    private static List<Long> features(Harness h, Program p) {
        List<Long> out = new ArrayList<>();
        h.features(p, out::add);
        return out;
    }
}
