package org.virtiotck.tck.cli;

import java.util.concurrent.Callable;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Lists target schemes, suites or requirements. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List targets, suites or requirements.")
final class ListCommand implements Callable<Integer> {

    enum What { targets, suites, requirements }

    @Parameters(index = "0", defaultValue = "targets", description = "targets | suites | requirements")
    What what;

    @Override
    public Integer call() {
        switch (what) {
            case targets -> {
                for (TargetProvider p : Targets.providers()) {
                    System.out.println(p.scheme() + "\t" + p.usage());
                }
            }
            case suites -> SuiteCatalog.suites().forEach(s -> System.out.println(s.name() + "\t" + s.tests()
                    + " tests\t" + s.area()));
            case requirements -> {
                RequirementRegistry registry = RequirementRegistry.load();
                registry.all().forEach(r -> System.out.println(r.id() + "\t" + r.section() + "\t"
                        + r.level().label() + "\t" + r.summary()));
            }
        }
        return Main.CERTIFIED;
    }
}
