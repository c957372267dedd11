package org.virtiotck.fuzz.jazzer;

import java.nio.file.Files;
import java.nio.file.Path;
import org.virtiotck.fuzz.exec.TargetProfile;
import org.virtiotck.fuzz.gen.ProgramGen;
import org.virtiotck.tck.gen.Source;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/** Writes seed inputs for {@link ReferenceDeviceFuzzTest}: the byte form of generated programs' choices. */
final class SeedInputs {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String[][] targets = {{"modernReference", "reference"}, {"legacyReference", "reference:legacy"}};
        for (String[] t : targets) {
            Path dir = root.resolve(t[0]);
            Files.createDirectories(dir);
            TargetProfile profile;
            try (Target target = Targets.open(t[1])) {
                profile = TargetProfile.probe(target);
            }
            Files.write(dir.resolve("empty-skeleton"), new byte[0]);
            for (long seed : new long[] {1, 2, 3}) {
                Source s = Source.random(seed);
                new ProgramGen(profile).generate(s);
                Files.write(dir.resolve("generated-seed-" + seed), ReferenceDeviceFuzzTest.bytes(s.choices()));
            }
        }
    }
}
