package org.lincde.tables.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Artifacts;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.DType;

/**
 * Every run key each profile plans, against a golden list: records already stored (a reproduction resumes from
 * them) are found by these keys, so a refactoring of the artifacts' settings must not move one. A change that means
 * to move keys (a new protocol value) regenerates the list with {@code -Dlincde.runkeys.write=true} and says so in
 * its commit.
 *
 * <p>The UEA training runs on the six paper datasets are left out: whether they are planned depends on which
 * datasets this machine has downloaded. BasicMotions and JapaneseVowels ship with lincde, so uea-mini is in.
 */
class RunKeysGoldenTest {
    /** The dry run's default target (the djl backend in float32); the key includes both. */
    private static final String BACKEND = "djl";
    private static final DType DTYPE = DType.FLOAT32;

    @ParameterizedTest
    @EnumSource(Profile.class)
    void everyPlannedRunKeepsItsKey(Profile profile) throws IOException {
        List<String> actual = plannedKeys(profile);
        String resource = "/run-keys/" + profile.label() + ".tsv";
        if (Boolean.getBoolean("lincde.runkeys.write")) {
            Path file = Path.of(System.getProperty("lincde.root.dir"), "paper-tables/src/test/resources" + resource);
            Files.createDirectories(file.getParent());
            Files.write(file, actual, StandardCharsets.UTF_8);
        }
        List<String> golden;
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertThat(in).as("golden list %s", resource).isNotNull();
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(actual).as("run keys of profile %s (artifact, cell, key)", profile.label())
                .containsExactlyElementsOf(golden);
    }

    /** "artifact \t cell \t key" of every planned run in plan order, the data-dependent UEA runs left out. */
    static List<String> plannedKeys(Profile profile) {
        Set<String> dataDependent = new HashSet<>();
        SliceUea.plans(profile, BACKEND, DTYPE).forEach(p -> dataDependent.add(p.key()));
        List<String> lines = new ArrayList<>();
        for (Artifact a : Artifacts.discover().all()) {
            for (RunPlan p : a.grid(profile, BACKEND, DTYPE)) {
                if (!dataDependent.contains(p.key())) {
                    lines.add(p.artifact() + "\t" + p.cell() + "\t" + p.key());
                }
            }
        }
        return lines;
    }
}
