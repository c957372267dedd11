package org.virtiotck.fuzz.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An op's short name is the one its JSON form carries, and every kind of op has its own. */
class OpNamesTest {

    @Test
    void everyOpIsNamedAsInItsJson() {
        List<Op> ops = List.of(new Op.Read(0x70, 4), new Op.Write(0x70, 4, 1), new Op.SetStatus(15),
                new Op.Features(1, 1), new Op.QueueSetup(0, 8, 0, 0x100, 0x200), new Op.QueueReady(0, 1),
                new Op.QueueReset(0), new Op.Descriptor(0, 0, 0x1000, 16, 1, 1),
                new Op.IndirectTable(0x3000, List.of(new Op.Entry(0x1000, 16, 0, 0))), new Op.Header(0x1000, 0, 0, 0),
                new Op.Payload(0x2000, 512, 7), new Op.Avail(0, 0), new Op.AvailIdx(0, 3), new Op.Notify(0),
                new Op.Ack(1), new Op.Segment(0x4000, 0, 8, 0));
        for (Op op : ops) {
            assertThat(op.name()).as(op.toString()).isNotNull()
                    .isEqualTo(ProgramJson.toTree(new Program(List.of(op))).get("ops").get(0).get("op").asText());
        }
        assertThat(ops.stream().map(Op::name).distinct()).hasSize(16);
        assertThat(new Op.Read(0, 4).name()).isEqualTo("read");
    }
}
