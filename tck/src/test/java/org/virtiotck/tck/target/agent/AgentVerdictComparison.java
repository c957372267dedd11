package org.virtiotck.tck.target.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The verdicts through the guest agent equal those through qtest on the same QEMU configuration: the same
 * requirement ids failing, waived, crashing, hanging or in error, and the same verdict for every test. Runs after
 * the Maven executions that certified both (profile qemu: certify-qemu-modern and certify-agent-aarch64), reading
 * their run-report.json files from {@code virtio.compare.qtest} and {@code virtio.compare.agent}; any difference is
 * named in the failure.
 */
class AgentVerdictComparison {
    private static final List<String> BAD = List.of("FAIL", "WAIVED", "CRASH", "HANG", "ERROR");

    @Test
    void verdictsThroughTheAgentEqualThoseThroughQtest() throws IOException {
        Path qtest = report("virtio.compare.qtest");
        Path agent = report("virtio.compare.agent");
        JsonNode q = new ObjectMapper().readTree(qtest.toFile());
        JsonNode a = new ObjectMapper().readTree(agent.toFile());
        List<String> differences = new ArrayList<>();
        for (String verdict : BAD) {
            Set<String> inQ = requirements(q, verdict);
            Set<String> inA = requirements(a, verdict);
            if (!inQ.equals(inA)) {
                Set<String> onlyQ = new TreeSet<>(inQ);
                onlyQ.removeAll(inA);
                Set<String> onlyA = new TreeSet<>(inA);
                onlyA.removeAll(inQ);
                differences.add(verdict + " requirements only through qtest " + onlyQ + ", only through the agent "
                        + onlyA);
            }
        }
        Map<String, String> vq = verdicts(q);
        Map<String, String> va = verdicts(a);
        Set<String> tests = new TreeSet<>(vq.keySet());
        tests.addAll(va.keySet());
        for (String t : tests) {
            String x = vq.getOrDefault(t, "(not run)");
            String y = va.getOrDefault(t, "(not run)");
            if (!x.equals(y)) {
                differences.add(t + ": qtest " + x + ", agent " + y);
            }
        }
        assertThat(vq).as("tests in the qtest report " + qtest).isNotEmpty();
        assertThat(differences).as("differences between " + qtest + " and " + agent).isEmpty();
    }

    private static Path report(String property) {
        String dir = System.getProperty(property);
        assumeTrue(dir != null, property + " is not set (run by the Maven execution agent-verdicts-match-qtest)");
        Path p = Path.of(dir, "run-report.json");
        assumeTrue(Files.isRegularFile(p), p + " does not exist (was that certification skipped?)");
        return p;
    }

    private static Set<String> requirements(JsonNode report, String verdict) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode o : report.path("outcomes")) {
            if (o.path("verdict").asText().equals(verdict)) {
                o.path("requirementIds").forEach(id -> ids.add(id.asText()));
            }
        }
        return ids;
    }

    private static Map<String, String> verdicts(JsonNode report) {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode o : report.path("outcomes")) {
            m.merge(o.path("testId").asText() + " " + o.path("displayName").asText(), o.path("verdict").asText(),
                    (x, y) -> x + "," + y);
        }
        return m;
    }
}
