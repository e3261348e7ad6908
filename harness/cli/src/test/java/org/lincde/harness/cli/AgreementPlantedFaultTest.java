package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.run.TokenRunPlan;
import org.lincde.spi.DType;

/**
 * The cross-backend agreement table catches a backend whose {@code matmul} is off by 10⁻⁴ relative
 * ({@link PlantedFault#MATMUL_DRIFT}) on real training — a smoke-size regular-language cell, 20 steps — in float32
 * against the float64 reference, where no accuracy moves; and the same backend unfaulted (an honest float32
 * emulation) passes. docs/protocols/agreement.md.
 */
class AgreementPlantedFaultTest {
    /** Two smoke cells of the regular-language table: a diagonal and a block-diagonal LNCDE. */
    static final class SmokeCells implements Artifact {
        public String id() {
            return "planted-agreement";
        }

        public String title() {
            return "planted-fault agreement";
        }

        public List<RunPlan> grid(Profile profile, String backend, DType dtype) {
            List<RunPlan> plans = new ArrayList<>();
            for (Map<String, Object> keys : List.of(Map.<String, Object>of("diagonal", true),
                    Map.<String, Object>of("diagonal", true, "block_size", 4))) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("task", "parity");
                c.put("model_name", "lcde");
                c.put("num_blocks", 1);
                c.put("model_dim", 16);
                c.put("batch_size", 8);
                c.put("num_steps", 20);
                c.put("print_steps", 10);
                c.put("learning_rate", 0.002);
                c.put("early_stop_threshold", 1.0);
                c.put("init_std", 0.5);
                c.put("seed", 1234);
                c.put("runs", 1);
                c.put("validation_samples", 16);
                c.put("train_padding", 40);
                c.putAll(keys);
                String label = keys.containsKey("block_size") ? "BD4-LNCDE" : "D-LNCDE";
                plans.add(new TokenRunPlan(id(), label + " / parity", R1Config.fromMap(label, c), 0, backend, dtype));
            }
            return plans;
        }

        public List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) {
            return List.of();
        }
    }

    private static Reproducer.Summary reproduce(Path dir, List<Reproducer.Target> targets) throws Exception {
        return PlantedFaultReproduction.reproduce(new SmokeCells(), dir, targets);
    }

    @Test
    void aKernelOffByOneInTenThousandIsFlaggedAndAnHonestFloat32BackendIsNot(@TempDir Path dir) throws Exception {
        Reproducer.Target oracle = new Reproducer.Target("reference", DType.FLOAT64);
        Reproducer.Target honest = new Reproducer.Target("planted-none", DType.FLOAT32);
        Reproducer.Target drift = new Reproducer.Target("planted-matmul_drift", DType.FLOAT32);

        Reproducer.Summary clean = reproduce(dir.resolve("clean"), List.of(oracle, honest));
        assertThat(clean.failed()).isZero();
        assertThat(clean.disagreements()).isEmpty();
        String cleanIndex = Files.readString(dir.resolve("clean/out/smoke/index.md"));
        assertThat(cleanIndex).contains("2 ✓ within tolerance, 0 ✗ outside, 0 pending");

        Reproducer.Summary faulty = reproduce(dir.resolve("faulty"), List.of(oracle, drift));
        assertThat(faulty.failed()).isZero();
        assertThat(faulty.disagreements()).hasSize(2).allSatisfy(d -> assertThat(d)
                .contains("planted-agreement").contains("training loss")
                .contains("reference (float64) vs planted-matmul_drift (float32)").contains("tolerance"));
        assertThat(faulty.disagreements()).anySatisfy(d -> assertThat(d).contains("D-LNCDE / parity"))
                .anySatisfy(d -> assertThat(d).contains("BD4-LNCDE / parity"));
        String index = Files.readString(dir.resolve("faulty/out/smoke/index.md"));
        assertThat(index).contains("0 ✓ within tolerance, 2 ✗ outside, 0 pending").contains("| ✗ |");
    }
}
