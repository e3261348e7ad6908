package org.lincde.tables.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.r2.LcdeA5RunPlan;
import org.lincde.harness.r2.SsmA5SearchPlan;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Verdicts;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;

/** The A5 min-blocks artifact from synthetic records: grid shape, verdicts against docs/PAPER_RESULTS.md B.2, files. */
class SsmA5LayersTest {

    /** Published minimum depths (docs/PAPER_RESULTS.md B.2), 0 = not reached with ≤ 4 blocks. */
    private static final Map<String, int[]> PAPER = Map.of(
            "RNN", new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            "Linear CDE", new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            "S4", new int[] {1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 0},
            "Mamba", new int[] {1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 0, 0, 0, 0},
            "Transformer", new int[] {1, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4, 4, 0, 0});
    private static final List<Integer> LENGTHS = List.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20);

    /** Records giving each model the depths of {@code rows} (model → length → depth). */
    private static Artifact.Results results(List<RunPlan> grid, Map<String, Map<Integer, Integer>> rows) {
        Map<String, RunRecord> byKey = new HashMap<>();
        for (RunPlan p : grid) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (p instanceof LcdeA5RunPlan l) {
                Integer d = rows.get("Linear CDE").get(l.length());
                if (d == null) {
                    continue;
                }
                metrics.put("min_depth", (double) d);
                metrics.put("best_accuracy", d == 1 ? 0.97 : 0.4);
            } else if (p instanceof SsmA5SearchPlan m) {
                Map<Integer, Integer> row = rows.get(m.modelName());
                if (row == null) {
                    continue;
                }
                row.forEach((n, d) -> {
                    metrics.put(SsmA5SearchPlan.minDepthKey(n), (double) d);
                    if (d > 0) {
                        metrics.put(SsmA5SearchPlan.accuracyKey(n, d), 0.93);
                    }
                });
            }
            byKey.put(p.key(), new RunRecord(p.key(), p.artifact(), p.cell(), p.config(), "completed",
                    List.of(new EvaluationPoint(0, 0.5, Double.NaN)), metrics, 10, 0.1, 10, 1, Map.of()));
        }
        return plan -> Optional.ofNullable(byKey.get(plan.key()));
    }

    private static Map<Integer, Integer> row(List<Integer> lengths, int... depths) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < lengths.size(); i++) {
            m.put(lengths.get(i), depths[i]);
        }
        return m;
    }

    @Test
    void paperGridIsR2sExperimentAndThePublishedValuesMatchExactly() {
        SsmA5Layers a = new SsmA5Layers();
        List<RunPlan> grid = a.grid(Profile.PAPER, "reference", DType.FLOAT32);
        // four depth searches (Transformer, Mamba, RNN, S4) and one Linear CDE run per length
        assertThat(grid).hasSize(4 + 14);
        SsmA5SearchPlan mamba = (SsmA5SearchPlan) grid.get(14 + 1);
        assertThat(mamba.modelName()).isEqualTo("Mamba");
        assertThat(mamba.config()).containsEntry("hidden_dim", 1024).containsEntry("state_dim", 64)
                .containsEntry("learning_rates", List.of(3e-4, 3e-4, 1e-4, 1e-4)).containsEntry("num_epochs", 40)
                .containsEntry("print_steps", 10_000).containsEntry("a5_size", 1_000_000).containsEntry("seed", 2345L);
        LcdeA5RunPlan lcde = (LcdeA5RunPlan) grid.get(0);
        assertThat(lcde.config()).containsEntry("hidden_dim", 256).containsEntry("learning_rate", 2e-4)
                .containsEntry("num_steps", 1_000_000L).containsEntry("aux_batch_size", 3).containsEntry("length", 3);
        Map<String, Map<Integer, Integer>> published = new LinkedHashMap<>();
        PAPER.forEach((m, d) -> published.put(m, row(LENGTHS, d)));
        assertThat(a.verdicts(Profile.PAPER, grid, results(grid, published))).isEqualTo(new Verdicts(5, 0, 0, 0));
        // one cell off: the row no longer matches; Mamba's claim (more than one block at N = 20) still holds
        published.get("Mamba").put(3, 2);
        // the RNN needing two blocks at one length breaks its claim
        published.get("RNN").put(9, 2);
        assertThat(a.verdicts(Profile.PAPER, grid, results(grid, published))).isEqualTo(new Verdicts(3, 1, 1, 0));
    }

    @Test
    void smallProfilesCompareWithThePublishedValuesTheirDepthsCanShow(@TempDir Path dir) throws Exception {
        SsmA5Layers a = new SsmA5Layers();
        List<RunPlan> grid = a.grid(Profile.SMOKE, "reference", DType.FLOAT64);
        List<Integer> lengths = List.of(3, 4); // smoke: lengths 3, 4; depths 1, 2
        Map<String, Map<Integer, Integer>> rows = new LinkedHashMap<>();
        rows.put("Mamba", row(lengths, 1, 2));       // = paper (1, 2): matches
        rows.put("RNN", row(lengths, 1, 1));         // = paper: matches
        rows.put("S4", row(lengths, 1, 2));          // paper (1, 1): differs, but more than one block at N = 4
        rows.put("Transformer", row(lengths, 0, 0)); // paper (1, 1): nothing solved → no evidence either way
        rows.put("Linear CDE", row(lengths, 1, 0));  // paper (1, 1): one block fails at N = 4 → claim fails
        Artifact.Results results = results(grid, rows);
        assertThat(a.verdicts(Profile.SMOKE, grid, results)).isEqualTo(new Verdicts(2, 1, 2, 0));
        List<Path> files = a.render(Profile.SMOKE, grid, results, dir);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("a5_layers.md");
        String md = Files.readString(files.get(0));
        assertThat(md).contains("| Mamba | 1 | 2 | matches the paper ✓ |")
                .contains("| S4 | 1 | 2 (paper 1) | claim holds ✓")
                .contains("| Linear CDE | 1 | — (paper 1) | differs ✗")
                .contains("| Transformer | — (paper 1) | — (paper 1) | differs ✗ (nothing reached 90 %")
                .contains("Rows matching the paper: 2; rows where the paper's claim holds: 1; rows that differ: 2; pending: 0")
                .contains("A5_plot_shaded_regions.png");
        for (String ext : List.of(".png", ".svg", ".pdf")) {
            assertThat(dir.resolve("A5_plot_shaded_regions" + ext)).isNotEmptyFile();
            assertThat(dir.resolve("A5_plot_shaded_regions_published" + ext)).isNotEmptyFile();
        }
        BufferedImage png = ImageIO.read(dir.resolve("A5_plot_shaded_regions.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isGreaterThan(800);
        assertThat(Files.readString(dir.resolve("a5_min_blocks.csv"))).startsWith("Model,N=3,N=4,verdict");
        assertThat(Files.readString(dir.resolve("a5_best_accuracy.md"))).contains("| Mamba | 1: 93.0 | 2: 93.0 |");
    }

    @Test
    void missingRecordsArePending(@TempDir Path dir) throws Exception {
        SsmA5Layers a = new SsmA5Layers();
        List<RunPlan> grid = a.grid(Profile.QUICK, "reference", DType.FLOAT64);
        Artifact.Results none = plan -> Optional.empty();
        // quick: Mamba, RNN, S4 and the Linear CDE (the Transformer's fixed 2048-wide FFN is too slow for a CPU)
        assertThat(grid).hasSize(3 + 3);
        assertThat(a.verdicts(Profile.QUICK, grid, none)).isEqualTo(new Verdicts(0, 0, 0, 4));
        String md = Files.readString(a.render(Profile.QUICK, grid, none, dir).get(0));
        assertThat(md).contains("pending").contains("Not run in this profile: Transformer");
        assertThat(a.id()).isEqualTo("ssm-a5-layers");
    }
}
