package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.lincde.harness.conformance.faults.FaultyBackend;
import org.lincde.harness.conformance.faults.PlantedFault;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.run.RunContext;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;

/**
 * The agreement tests' reproduction: one artifact's smoke grid on the float64 reference and two planted backends
 * of the conformance kit — {@code planted-none} (an honest float32 emulation) and {@code planted-matmul_drift}
 * (every matmul off by 1e-4 relative) — with results in {@code dir/results} and the report in {@code dir/out}.
 */
final class PlantedFaultReproduction {
    private PlantedFaultReproduction() {
    }

    static Reproducer.Summary reproduce(Artifact artifact, Path dir, List<Reproducer.Target> targets)
            throws Exception {
        Backend reference = BackendRegistry.discover().get("reference");
        BackendRegistry backends = new BackendRegistry(List.of(reference,
                new FaultyBackend(Set.of(), Set.of(DType.FLOAT32, DType.FLOAT64)),
                new FaultyBackend(EnumSet.of(PlantedFault.MATMUL_DRIFT), Set.of(DType.FLOAT32, DType.FLOAT64))));
        try (RunContext ctx = new RunContext(backends, StructureRegistry.discover(), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 1)) {
            return new Reproducer(new ResultsStore(dir.resolve("results")), ctx).reproduce(List.of(artifact),
                    List.of(artifact), Profile.SMOKE, targets, dir.resolve("out"), Reproducer.Options.DEFAULT);
        }
    }
}
