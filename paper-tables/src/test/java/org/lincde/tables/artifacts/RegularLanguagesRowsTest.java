package org.lincde.tables.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.ModelSpecs;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;

/**
 * Every published row of the SLiCE regular-language table (16, with random guessing) and the mLSTM bar appear on
 * the page; a row whose model this build has is trained in smoke and paper, the others say "not reproduced" and
 * why. The A5 page lists every model of the figure's caption.
 */
class RegularLanguagesRowsTest {
    private static final List<String> PUBLISHED = List.of("LSTM", "sLSTM", "xLSTM[1:1]", "Transformer", "Mamba",
            "D-LNCDE", "DeltaNet", "Gated DeltaNet", "DeltaNet[-1,1]", "RWKV-7", "DPLR4-LNCDE",
            "Gated DeltaProduct[-1,1]", "WH-LNCDE", "BD4-LNCDE", "D-DE16-LNCDE", "Random");

    private static void fill(ResultsStore store, List<RunPlan> grid, double accuracy) {
        for (RunPlan p : grid) {
            store.put(new RunRecord(p.key(), p.artifact(), p.cell(), p.config(), "completed",
                    List.of(new EvaluationPoint(0, accuracy, Double.NaN)),
                    Map.of("best_accuracy", accuracy, "final_accuracy", accuracy, "min_depth", 1.0,
                            "accuracy_depth_1", accuracy), 1, 0.1, 10, 1, Map.of()));
        }
    }

    @Test
    void everyPublishedRowAndTheMlstmBarAppearAndBuildableRowsTrain(@TempDir Path dir) throws Exception {
        assertThat(SliceRegularLanguages.MODELS.stream().map(SliceRegularLanguages.Model::label).toList())
                .containsAll(PUBLISHED).contains("mLSTM").hasSize(17);
        SliceRegularLanguages a = new SliceRegularLanguages();
        for (Profile p : List.of(Profile.SMOKE, Profile.PAPER)) {
            Set<String> trained = a.grid(p, "fake", DType.FLOAT32).stream().map(r -> r.cell().split(" / ")[0])
                    .collect(Collectors.toSet());
            for (SliceRegularLanguages.Model m : SliceRegularLanguages.MODELS) {
                boolean buildable = m.modelName() != null && ModelSpecs.isKnown(m.modelName());
                assertThat(trained.contains(m.label())).as(p + " trains " + m.label()).isEqualTo(buildable);
            }
            assertThat(trained).contains("DeltaNet", "DeltaNet[-1,1]", "Gated DeltaNet", "Gated DeltaProduct[-1,1]");
        }
        ResultsStore store = new ResultsStore(dir.resolve("results"));
        List<RunPlan> smoke = a.grid(Profile.SMOKE, "fake", DType.FLOAT32);
        fill(store, smoke, 0.6);
        a.render(Profile.SMOKE, smoke, p -> store.get(p.artifact(), p.key()), dir);
        String page = Files.readString(dir.resolve("regular_languages.md"));
        for (String label : PUBLISHED) {
            // † marks a row whose configuration differs from the paper's (said under the table)
            assertThat(page).as(label).containsPattern("\\| " + java.util.regex.Pattern.quote(label) + "( †)? \\|");
        }
        assertThat(page).contains("| mLSTM |").contains("66.8 (bar only)").contains("97.2 ± 1.7");
        for (SliceRegularLanguages.Model m : SliceRegularLanguages.MODELS) {
            if (m.modelName() != null && !ModelSpecs.isKnown(m.modelName())) {
                assertThat(page).contains("- " + m.label() + ": model_name \"" + m.modelName() + "\" is not built");
            }
        }
        String csv = Files.readString(dir.resolve("regular_languages_published.csv"));
        assertThat(csv.lines().count()).as("header + 16 rows + mLSTM").isEqualTo(18);
    }

    @Test
    void theA5PageListsEveryModelOfTheCaption(@TempDir Path dir) throws Exception {
        SliceA5 a5 = new SliceA5();
        List<String> caption = List.of("Mamba", "LSTM", "mLSTM", "sLSTM", "Gated DeltaProduct[-1,1]", "DE-LNCDE",
                "D-LNCDE", "DPLR4-LNCDE", "S-LNCDE", "WH-LNCDE", "BD8-LNCDE");
        assertThat(SliceA5.MODELS.stream().map(SliceA5.Model::label).toList()).containsAll(caption);
        ResultsStore store = new ResultsStore(dir.resolve("results"));
        List<RunPlan> smoke = a5.grid(Profile.SMOKE, "fake", DType.FLOAT32);
        assertThat(smoke).extracting(RunPlan::cell).contains("Gated DeltaProduct[-1,1] / A5-3");
        fill(store, smoke, 0.95);
        a5.render(Profile.SMOKE, smoke, p -> store.get(p.artifact(), p.key()), dir);
        String page = Files.readString(dir.resolve("a5.md"));
        for (String label : caption) {
            // † marks a row whose configuration differs from the paper's (said under the table)
            assertThat(page).as(label).containsPattern("\\| " + java.util.regex.Pattern.quote(label) + "( †)? \\|");
        }
        assertThat(page).contains("(no claim)");
        List<String> paper = a5.grid(Profile.PAPER, "fake", DType.FLOAT32).stream()
                .map(r -> r.cell().split(" / ")[0]).distinct().toList();
        for (SliceA5.Model m : SliceA5.MODELS) {
            assertThat(paper.contains(m.label())).as(m.label()).isEqualTo(ModelSpecs.isKnown(m.modelName()));
        }
    }
}
