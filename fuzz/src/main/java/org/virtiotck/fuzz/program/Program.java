package org.virtiotck.fuzz.program;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** A typed fuzz input: a list of {@link Op}s run in order against a target, from a device reset. */
public record Program(List<Op> ops) {

    @JsonCreator
    public Program(@JsonProperty("ops") List<Op> ops) {
        this.ops = List.copyOf(ops);
    }

    public int size() {
        return ops.size();
    }

    public Op get(int i) {
        return ops.get(i);
    }

    /** A mutable copy of the ops. */
    public List<Op> mutableOps() {
        return new ArrayList<>(ops);
    }

    /** One op per line, for humans. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            sb.append(String.format("%3d  ", i)).append(ops.get(i)).append('\n');
        }
        return sb.toString();
    }
}
