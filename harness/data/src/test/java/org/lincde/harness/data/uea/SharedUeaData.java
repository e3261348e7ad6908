package org.lincde.harness.data.uea;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared real UEA files (../shared/data/uea); skips a test only when truly absent. */
final class SharedUeaData {
    private SharedUeaData() {
    }

    static Path dir() {
        String prop = System.getProperty("lincde.shared.dir");
        Path shared = prop != null ? Path.of(prop) : Path.of("..", "shared");
        if (!Files.isDirectory(shared) && prop != null) {
            shared = Path.of("..", "shared");
        }
        Path uea = shared.resolve("data").resolve("uea");
        assumeTrue(Files.isDirectory(uea), "shared UEA data not found at " + uea.toAbsolutePath()
                + " (set -Dlincde.shared.dir)");
        return uea;
    }

    static Path dataset(String name) {
        Path d = dir().resolve(name);
        assumeTrue(Files.isDirectory(d), "shared UEA dataset " + name + " not found at " + d.toAbsolutePath());
        return d;
    }
}
