package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.uea.NeuralCdeModel;
import org.lincde.harness.uea.UeaExperiment;
import org.lincde.harness.uea.UeaRunPlan;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;

/**
 * The ill-conditioned cell of the smoke grid — {@code uea-mini}'s NCDE on BasicMotions (raw accelerometer
 * controls over Δt = 0.01, saturated logits), here for 4 steps with the training loss recorded at every step —
 * on real training (docs/protocols/agreement.md §2.1): an honest float32 backend leaves the float64 reference by
 * far more than the rule allows within a few steps, and passes, marked ill-conditioned, because the reference
 * itself moves as far when its initial parameters move by one float32 ulp; the planted 10⁻⁴ {@code matmul} drift
 * is still caught, at the first steps, where the cell's sensitivity is still tiny and the fault is not.
 */
class IllConditionedAgreementTest {
    /** The smoke NCDE / BasicMotions cell (h = 8, MLP 1×8), 4 steps, an evaluation every step. */
    static final class NcdeCell implements Artifact {
        public String id() {
            return "planted-ncde";
        }

        public String title() {
            return "an ill-conditioned cell";
        }

        public List<RunPlan> grid(Profile profile, String backend, DType dtype) {
            UeaExperiment e = UeaExperiment.mini("BasicMotions").withSteps(4, 1)
                    .mapNeuralCdes((m, x) -> x.withDatasetPrintSteps()).withHidden(8)
                    .mapNeuralCdes((m, x) -> x.withSizes(8, 1, 8, x.dt0()));
            return List.of(new UeaRunPlan(id(), "NCDE / BasicMotions / seed 2345", e, NeuralCdeModel.NCDE, 2345,
                    backend, dtype, ForwardMode.Evaluation.RECURRENT));
        }

        public List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) {
            return List.of();
        }
    }

    private static Reproducer.Summary reproduce(Path dir, List<Reproducer.Target> targets) throws Exception {
        return PlantedFaultReproduction.reproduce(new NcdeCell(), dir, targets);
    }

    @Test
    void anHonestFloat32BackendPassesAsIllConditionedAndAPlantedDriftIsStillCaught(@TempDir Path dir)
            throws Exception {
        Reproducer.Target oracle = new Reproducer.Target("reference", DType.FLOAT64);
        Reproducer.Target honest = new Reproducer.Target("planted-none", DType.FLOAT32);
        Reproducer.Target drift = new Reproducer.Target("planted-matmul_drift", DType.FLOAT32);

        Reproducer.Summary clean = reproduce(dir.resolve("clean"), List.of(oracle, honest));
        String cleanIndex = Files.readString(dir.resolve("clean/out/smoke/index.md"));
        System.out.println(cleanIndex.substring(cleanIndex.indexOf("## Cross-backend agreement")));
        assertThat(clean.failed()).isZero();
        // the reference, the float32 emulation and the reference's conditioning run
        assertThat(clean.ran()).isEqualTo(3);
        assertThat(clean.disagreements()).isEmpty();
        assertThat(cleanIndex).contains("0 ✓ within tolerance, 1 ✓ ill-conditioned").contains("0 ✗ outside")
                .contains("✓ (ill-conditioned: one float32 ulp of the initial parameters moves the reference's");

        // the reference's two records are reused (same keys); only the faulty backend runs
        Files.createDirectories(dir.resolve("faulty"));
        copy(dir.resolve("clean/results"), dir.resolve("faulty/results"));
        Reproducer.Summary faulty = reproduce(dir.resolve("faulty"), List.of(oracle, drift));
        String index = Files.readString(dir.resolve("faulty/out/smoke/index.md"));
        System.out.println(index.substring(index.indexOf("## Cross-backend agreement")));
        assertThat(faulty.ran()).isEqualTo(1);
        assertThat(faulty.disagreements()).hasSize(1).allSatisfy(d -> assertThat(d)
                .contains("planted-ncde: NCDE / BasicMotions / seed 2345 — training loss at step")
                .contains("reference (float64) vs planted-matmul_drift (float32)"));
        assertThat(index).contains("0 ✓ within tolerance, 1 ✗ outside").contains("| ✗ |");
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
