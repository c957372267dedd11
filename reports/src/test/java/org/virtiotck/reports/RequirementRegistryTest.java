package org.virtiotck.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virtiotck.reports.Requirement.Actor;
import org.virtiotck.reports.Requirement.Level;
import org.virtiotck.reports.Requirement.Testability;

class RequirementRegistryTest {

    private static final RequirementRegistry REGISTRY = RequirementRegistry.load();

    @Test
    void loadsEveryCatalogRow() {
        assertThat(REGISTRY.size()).isEqualTo(359);
        assertThat(REGISTRY.all()).extracting(Requirement::actor)
                .filteredOn(a -> a == Actor.DEVICE).hasSize(182);
        assertThat(REGISTRY.all()).filteredOn(Requirement::descriptive).hasSize(50);
        assertThat(REGISTRY.all()).filteredOn(r -> r.id().contains("-legacy.")).hasSize(48);
    }

    @Test
    void countsMatchTheCatalogReadme() {
        assertThat(count(r -> r.level() == Level.MUST)).isEqualTo(205);
        assertThat(count(r -> r.level() == Level.MUST_NOT)).isEqualTo(65);
        assertThat(count(r -> r.level() == Level.MAY)).isEqualTo(39);
        assertThat(count(r -> r.actor() == Actor.DEVICE && r.testable() == Testability.YES)).isEqualTo(128);
        assertThat(count(r -> r.actor() == Actor.DEVICE && r.testable() == Testability.PARTLY)).isEqualTo(28);
        assertThat(count(Requirement::isDeviceTestable)).isEqualTo(156);
        assertThat(count(r -> r.since().equals("1.3"))).isEqualTo(70);
        assertThat(count(r -> r.since().equals("1.4"))).isEqualTo(15);
        assertThat(count(r -> r.since().equals("1.2"))).isEqualTo(274);
    }

    private static long count(java.util.function.Predicate<Requirement> p) {
        return REGISTRY.all().stream().filter(p).count();
    }

    @Test
    void everyRowHasOurOwnSummary() {
        assertThat(REGISTRY.all()).allSatisfy(r -> {
            assertThat(r.summary()).as(r.id()).isNotBlank().doesNotStartWith("[descriptive");
            assertThat(r.summary().length()).as(r.id()).isLessThanOrEqualTo(160);
        });
    }

    @Test
    void idsAndFactsMatchTheSharedCatalog() throws IOException {
        List<String[]> catalog = catalogRows();
        assertThat(REGISTRY.ids()).containsExactlyElementsOf(catalog.stream().map(f -> f[0]).toList());
        for (String[] f : catalog) {
            Requirement r = REGISTRY.get(f[0]);
            assertThat(r.section()).as(f[0]).isEqualTo(f[1]);
            assertThat(r.title()).as(f[0]).isEqualTo(f[2]);
            assertThat(r.actor().name()).as(f[0]).isEqualToIgnoringCase(f[4]);
            assertThat(r.level().label()).as(f[0]).isEqualTo(f[5]);
            assertThat(r.testable().name()).as(f[0]).isEqualToIgnoringCase(f[7]);
            assertThat(r.descriptive()).as(f[0]).isEqualTo(f[6].startsWith("[descriptive"));
        }
    }

    /**
     * The project rule: facts may be copied from the catalog, sentences may not. No summary may repeat a run of
     * five words from the catalog's own summary of the same row.
     */
    @Test
    void summariesAreWordedDifferentlyFromTheCatalog() throws IOException {
        for (String[] f : catalogRows()) {
            Set<List<String>> shared = wordRuns(REGISTRY.get(f[0]).summary(), 5);
            shared.retainAll(wordRuns(f[6], 5));
            assertThat(shared).as(f[0]).isEmpty();
        }
    }

    private static Set<List<String>> wordRuns(String text, int n) {
        List<String> words = List.of(text.toLowerCase(java.util.Locale.ROOT).split("[^a-z0-9_]+"));
        Set<List<String>> runs = new LinkedHashSet<>();
        for (int i = 0; i + n <= words.size(); i++) {
            runs.add(words.subList(i, i + n));
        }
        return runs;
    }

    private static List<String[]> catalogRows() throws IOException {
        Path catalog = sharedCatalog();
        assumeTrue(catalog != null, "shared/spec/virtio-requirements.tsv not found beside the repository");
        return Files.readAllLines(catalog, StandardCharsets.UTF_8).stream().skip(1)
                .filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
    }

    /** From the module directory (Maven) the catalog is at ../../shared; from the repo root at ../shared. */
    private static Path sharedCatalog() {
        for (String candidate : List.of("../../shared/spec/virtio-requirements.tsv",
                "../shared/spec/virtio-requirements.tsv")) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void lookupByIdAndArea() {
        Requirement version = REGISTRY.get("mmio.dev.2");
        assertThat(version.section()).isEqualTo("4.2.2.1");
        assertThat(version.actor()).isEqualTo(Actor.DEVICE);
        assertThat(version.level()).isEqualTo(Level.MUST);
        assertThat(version.area()).isEqualTo("mmio");
        assertThat(REGISTRY.exists("mmio.dev.2")).isTrue();
        assertThat(REGISTRY.exists("mmio.dev.999")).isFalse();
        assertThat(REGISTRY.find("nope.dev.1")).isEmpty();
        assertThatThrownBy(() -> REGISTRY.get("nope.dev.1"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("nope.dev.1");
        assertThat(REGISTRY.byArea("mmio-legacy")).hasSize(11);
        assertThat(REGISTRY.byArea("mmio")).hasSize(45);
        assertThat(REGISTRY.byFamily("mmio")).hasSize(45 + 12);
        assertThat(REGISTRY.byFamily("blk")).hasSize(98 + 18 + 17);
        assertThat(REGISTRY.areas()).contains("status", "blk-legacy", "suspend", "notif-desc").hasSize(23);
    }

    @Test
    void areaIsThePartBeforeTheFirstDot() {
        assertThat(RequirementRegistry.area("mmio-legacy.dev.3")).isEqualTo("mmio-legacy");
        assertThat(RequirementRegistry.area("blk.drv.10")).isEqualTo("blk");
    }

    @ParameterizedTest(name = "{0} is in family {1}")
    @CsvSource({
        "mmio-legacy.dev.1, mmio-legacy",
        "blk-desc.dev.1, blk",
        "blk-legacy.drv.1, blk",
        "split-desc.dev.1, split",
        "split-legacy.dev.1, split",
        "status-desc.dev.1, status",
        "mmio-desc.dev.1, mmio",
        "reserved-legacy.dev.1, reserved",
        "init-legacy.dev.1, init",
        "features-legacy.dev.1, features",
        "config-legacy.drv.1, config",
        "notif-desc.dev.1, notif",
        "blk, blk"})
    void familiesFoldDescAndLegacyExceptMmioLegacy(String id, String family) {
        assertThat(RequirementRegistry.areaFamily(id)).isEqualTo(family);
    }

    @Test
    void deviceTestableMeansDeviceActorAndYesOrPartly() {
        assertThat(REGISTRY.get("mmio.dev.2").isDeviceTestable()).isTrue();
        assertThat(REGISTRY.get("status.drv.1").isDeviceTestable()).isFalse();
        assertThat(REGISTRY.all()).filteredOn(r -> r.actor() == Actor.DEVICE && r.testable() == Testability.NO)
                .isNotEmpty().noneMatch(Requirement::isDeviceTestable);
    }

    @Test
    void parseReportsBadInputWithLineNumbers() {
        String header = "id\tsection\ttitle\tactor\tlevel\ttestable\tdescriptive\tsince\tsummary\n";
        String good = "a.dev.1\t1\tt\tdevice\tMUST NOT\tpartly\tfalse\t1.2\tsays something\n";
        assertThatThrownBy(() -> parse("id\tsummary\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test:1: unexpected header");
        assertThatThrownBy(() -> parse(header + good + "a.dev.2\t1\tt\tdevice\tMUST\tyes\tfalse\t1.2\n"))
                .hasMessage("test:3: expected 9 columns, found 8");
        assertThatThrownBy(() -> parse(header + good.replace("device", "host")))
                .hasMessage("test:2: unknown actor 'host'");
        assertThatThrownBy(() -> parse(header + good.replace("MUST NOT", "OUGHT")))
                .hasMessage("test:2: unknown level 'OUGHT'");
        assertThatThrownBy(() -> parse(header + good.replace("false", "maybe")))
                .hasMessage("test:2: descriptive must be true or false, found 'maybe'");
        assertThatThrownBy(() -> parse(header + good + good)).hasMessage("test:3: duplicate id a.dev.1");
    }

    @Test
    void parseAcceptsWellFormedRows() throws IOException {
        String text = "id\tsection\ttitle\tactor\tlevel\ttestable\tdescriptive\tsince\tsummary\n"
                + "a.dev.1\t1\tt\tdevice\tMUST NOT\tpartly\ttrue\t1.3\tsays something\n";
        Requirement r = parse(text).get("a.dev.1");
        assertThat(r).isEqualTo(new Requirement("a.dev.1", "1", "t", Actor.DEVICE, Level.MUST_NOT,
                Testability.PARTLY, true, "1.3", "says something"));
        assertThat(r.isDeviceTestable()).isTrue();
    }

    private static RequirementRegistry parse(String text) throws IOException {
        return RequirementRegistry.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
