package org.virtiotck.reports.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.SampleReports;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitXmlReportTest {

    private static Document parse(byte[] xml) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static List<Element> elements(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static Element suite(Document doc, String name) {
        return elements(doc.getDocumentElement(), "testsuite").stream()
                .filter(s -> s.getAttribute("name").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void writesParseableXmlWithTheRightCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("junit.xml");
        JUnitXmlReport.write(SampleReports.failing(), file);
        Document doc = parse(Files.readAllBytes(file));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("14");
        assertThat(root.getAttribute("failures")).as("the two FAILs").isEqualTo("2");
        assertThat(root.getAttribute("errors")).as("CRASH and ERROR").isEqualTo("2");
        assertThat(root.getAttribute("skipped")).as("two SKIPs and one WAIVED").isEqualTo("3");
        assertThat(root.getAttribute("time")).isEqualTo("9.000");

        assertThat(elements(root, "testsuite")).extracting(e -> e.getAttribute("name"))
                .containsExactly("mmio", "interrupts", "status", "features", "queues", "blk", "legacy-transport");
        assertThat(elements(root, "testcase")).hasSize(14);
        assertThat(elements(root, "failure")).hasSize(2);
        assertThat(elements(root, "error")).hasSize(2);
        assertThat(elements(root, "skipped")).hasSize(3);

        Element mmio = suite(doc, "mmio");
        assertThat(mmio.getAttribute("tests")).isEqualTo("2");
        assertThat(mmio.getAttribute("failures")).isEqualTo("1");
        assertThat(mmio.getAttribute("timestamp")).isEqualTo("2026-05-01T10:00");
        Element failing = elements(mmio, "testcase").get(1);
        assertThat(failing.getAttribute("classname")).isEqualTo(SampleReports.PKG + "MmioRegisterSuite");
        assertThat(failing.getAttribute("name")).isEqualTo("versionIsTwo");
        assertThat(failing.getAttribute("time")).isEqualTo("0.040");
        Element failure = elements(failing, "failure").getFirst();
        assertThat(failure.getAttribute("type")).isEqualTo("FAIL");
        assertThat(failure.getAttribute("message"))
                .isEqualTo("[mmio.dev.2] Version register: <script>alert('x')</script> & friends");
        assertThat(failure.getTextContent()).contains("expected: 0x2", "observed: 0x1", "replay: ./mvnw",
                "requirements: mmio.dev.2");
        assertThat(elements(failing, "property")).extracting(p -> p.getAttribute("name") + "=" + p.getAttribute("value"))
                .contains("requirement=mmio.dev.2", "verdict=FAIL", "severity=MEDIUM");

        Element status = suite(doc, "status");
        Element waived = elements(status, "skipped").getFirst();
        assertThat(waived.getAttribute("message"))
                .isEqualTo("waived (was HANG): firmware 1.2 resets asynchronously; fixed in 1.3");
        assertThat(elements(status, "property")).extracting(p -> p.getAttribute("value"))
                .contains("mmio.dev.5", "mmio.dev.6", "reference:modern");

        Element queues = suite(doc, "queues");
        assertThat(elements(queues, "error").getFirst().getAttribute("type")).isEqualTo("CRASH");
    }

    @Test
    void passingRunHasNoProblemsAndSeedProperty() throws Exception {
        Document doc = parse(JUnitXmlReport.render(SampleReports.passing()).getBytes(StandardCharsets.UTF_8));
        Element root = doc.getDocumentElement();
        assertThat(root.getAttribute("failures")).isEqualTo("0");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
        assertThat(elements(root, "failure")).isEmpty();
        assertThat(elements(root, "property")).anyMatch(p -> p.getAttribute("name").equals("seed")
                && p.getAttribute("value").equals("42"));
    }

    @Test
    void illegalXmlCharactersAndLineBreaksSurvive() throws Exception {
        TestOutcome weird = new TestOutcome("Weird", "weird \u0001 name", "", List.of(), Verdict.HANG,
                Severity.HIGH, "a\"b", "c\u0000d", "line1\nline2\t]]>", null, null, 5, "x");
        RunReport report = RunReport.of(SampleReports.REGISTRY, SampleReports.TOOL, SampleReports.TARGET,
                SampleReports.START, null, null, List.of(weird), List.of());
        Document doc = parse(JUnitXmlReport.render(report).getBytes(StandardCharsets.UTF_8));
        Element testcase = elements(doc.getDocumentElement(), "testcase").getFirst();
        assertThat(testcase.getAttribute("classname")).as("no '#': suite name, here empty").isEmpty();
        assertThat(testcase.getAttribute("name")).isEqualTo("Weird");
        assertThat(((Element) testcase.getParentNode()).getAttribute("name")).isEqualTo("default");
        Element error = elements(testcase, "error").getFirst();
        assertThat(error.getAttribute("message")).isEqualTo("line1\nline2\t]]>");
        assertThat(error.getTextContent()).contains("observed: c\uFFFDd", "expected: a\"b");
    }

    @Test
    void writeIsAtomicAndReplacesTheOldFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("junit.xml");
        Files.writeString(file, "old");
        JUnitXmlReport.write(SampleReports.passing(), file);
        assertThat(Files.readString(file)).startsWith("<?xml");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }
}
