package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.uea.UeaRawDataset;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;

/** The R3 protocol end to end on the real BasicMotions data (shared project data), with a tiny budget. */
class UeaRunPlanTest {

    private static RunContext context() {
        return UeaTestData.context();
    }

    private static UeaRawDataset basicMotions() {
        return UeaTestData.basicMotions();
    }

    @Test
    void trainsBlockDiagonalOnBasicMotionsDeterministically() {
        UeaRawDataset raw = basicMotions();
        UeaExperiment e = UeaExperiment.mini("BasicMotions").withSteps(40, 20).withHidden(8);
        UeaRunPlan plan = new UeaRunPlan("uea-mini", "BD / BasicMotions / 2345", e, LinearNcdeVariant.BLOCK_DIAGONAL,
                2345, "reference", DType.FLOAT64, ForwardMode.Evaluation.RECURRENT);
        RunRecord a;
        RunRecord b;
        try (RunContext ctx = context()) {
            a = plan.execute(ctx, raw);
            b = plan.execute(ctx, raw);
        }
        assertThat(a.status()).isEqualTo("completed");
        assertThat(a.stepsTaken()).isEqualTo(40);
        assertThat(a.curve()).extracting(EvaluationPoint::step).containsExactly(20L, 40L);
        assertThat(a.curve().get(1).trainLoss()).isLessThan(a.curve().get(0).trainLoss());
        // 80 cases → 56 / 12 / 12; accuracies are multiples of 1/12
        double test = a.metrics().get("test_accuracy");
        assertThat(a.metrics().get("test_cases")).isEqualTo(12.0);
        assertThat(Math.abs(test * 12 - Math.rint(test * 12))).isLessThan(1e-9);
        // time channel + 6 channels, h = 8, BD4, K = 4: 8·7 + 8 + 7·8·4 + 4·8 + 4
        assertThat(a.metrics().get("parameters")).isEqualTo(8 * 7 + 8 + 7 * 8 * 4 + 4 * 8 + 4.0);
        assertThat(a.metrics().get("intervals")).isEqualTo(26.0); // ⌈101/4⌉
        assertThat(a.metrics().get("seconds_per_1000_steps")).isPositive();
        // same seed, same numbers
        assertThat(b.metrics().get("test_accuracy")).isEqualTo(test);
        assertThat(b.curve()).isEqualTo(a.curve());
        assertThat(a.config()).containsEntry("dataset_name", "BasicMotions").containsEntry("model_name", "bd_linear_ncde")
                .containsEntry("seed", 2345L).containsEntry("logsig_depth", 2).containsEntry("backend", "reference");
    }

    @Test
    void scanAndRecurrentEvaluationTrainTheSameModel() {
        UeaRawDataset raw = basicMotions();
        UeaExperiment e = UeaExperiment.mini("BasicMotions").withSteps(10, 10).withHidden(8);
        List<RunRecord> records = new java.util.ArrayList<>();
        try (RunContext ctx = context()) {
            for (ForwardMode.Evaluation ev : ForwardMode.Evaluation.values()) {
                records.add(new UeaRunPlan("t", "t", new UeaExperiment(e.dataset(), true, 1e-3, 8, 1e-3, 4, 2, 10, 10, 10,
                        32, 8), LinearNcdeVariant.DENSE, 3456, "reference", DType.FLOAT64, ev).execute(ctx, raw));
            }
        }
        assertThat(records.get(0).key()).isNotEqualTo(records.get(1).key());
        assertThat(records.get(1).curve().get(0).trainLoss())
                .isCloseTo(records.get(0).curve().get(0).trainLoss(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(records.get(1).metrics().get("best_validation_accuracy"))
                .isEqualTo(records.get(0).metrics().get("best_validation_accuracy"));
    }

    @Test
    void configsOfTheSixPaperDatasetsAreR3s() {
        assertThat(UeaExperiment.PAPER).extracting(UeaExperiment::dataset).containsExactly("EigenWorms",
                "EthanolConcentration", "Heartbeat", "MotorImagery", "SelfRegulationSCP1", "SelfRegulationSCP2");
        UeaExperiment hb = UeaExperiment.paper("Heartbeat");
        assertThat(hb.hidden()).isEqualTo(16);
        assertThat(hb.stepsize()).isEqualTo(2);
        assertThat(hb.lambda()).isEqualTo(1e-6);
        assertThat(hb.numSteps()).isEqualTo(100_000);
        assertThat(hb.printSteps()).isEqualTo(1_000);
        assertThat(LinearNcdeVariant.DIAGONAL.depth(2)).isEqualTo(1);
        assertThat(LinearNcdeVariant.DIAGONAL_DENSE.structure(16).id()).isEqualTo("dense");
        assertThat(LinearNcdeVariant.DIAGONAL_DENSE.structure(128).options()).containsEntry("block_size", "16");
        UeaRunPlan dplrHb = new UeaRunPlan("t", "t", hb, LinearNcdeVariant.DPLR, 2345, "reference", DType.FLOAT64,
                ForwardMode.Evaluation.SCAN);
        assertThat(dplrHb.config()).containsEntry("logsig_divisor", 100.0);
        UeaRunPlan bdHb = new UeaRunPlan("t", "t", hb, LinearNcdeVariant.BLOCK_DIAGONAL, 2345, "reference",
                DType.FLOAT64, ForwardMode.Evaluation.SCAN);
        assertThat(bdHb.config()).containsEntry("logsig_divisor", 10.0);
        assertThat(LinearNcdeVariant.parse("BD-LNCDE")).isEqualTo(LinearNcdeVariant.BLOCK_DIAGONAL);
        assertThatThrownBy(() -> LinearNcdeVariant.parse("nope")).hasMessageContaining("nope")
                .hasMessageContaining("bd_linear_ncde");
    }

    @Test
    void aMissingDatasetNamesTheRootsAndTheFetchCommand(@org.junit.jupiter.api.io.TempDir Path tmp) {
        UeaDataLocator locator = new UeaDataLocator(List.of(tmp));
        assertThat(locator.available("EigenWorms")).isFalse();
        assertThatThrownBy(() -> locator.require("EigenWorms")).hasMessageContaining("EigenWorms")
                .hasMessageContaining(tmp.toString()).hasMessageContaining("lincde datasets fetch uea --names EigenWorms");
        assertThatThrownBy(() -> locator.load("EigenWorms")).hasMessageContaining("lincde datasets fetch uea --names EigenWorms");
        // without the shipped datasets BasicMotions is missing too; with them it is found without any folder
        assertThat(locator.available("BasicMotions")).isFalse();
        UeaDataLocator withShipped = new UeaDataLocator(List.of(tmp), true);
        assertThat(withShipped.available("BasicMotions")).isTrue();
        assertThat(withShipped.available("EigenWorms")).isFalse();
        assertThat(withShipped.where("BasicMotions")).hasValueSatisfying(w -> assertThat(w).contains("bundled"));
        assertThat(withShipped.load("BasicMotions").size()).isEqualTo(UeaTestData.basicMotions().size());
    }

    @Test
    void aFolderCopyTakesPrecedenceOverTheShippedOne(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // a one-channel dataset named BasicMotions (two cases per split) in a root: it must be read, not the shipped one
        Path dir = Files.createDirectories(tmp.resolve("BasicMotions"));
        Files.writeString(dir.resolve("BasicMotions_TRAIN.ts"),
                "@problemName BasicMotions\n@dimensions 1\n@classLabel true a b\n@data\n1,2,3:a\n3,2,1:b\n");
        Files.writeString(dir.resolve("BasicMotions_TEST.ts"),
                "@problemName BasicMotions\n@dimensions 1\n@classLabel true a b\n@data\n1,2,4:a\n4,5,7:b\n");
        UeaDataLocator locator = new UeaDataLocator(List.of(tmp), true);
        assertThat(locator.where("BasicMotions")).contains(dir.toString());
        UeaRawDataset raw = locator.load("BasicMotions");
        assertThat(raw.channels()).isEqualTo(1);
        assertThat(raw.size()).isEqualTo(4);
        assertThat(raw.sources()[0]).startsWith(dir.resolve("BasicMotions_TRAIN.ts").toString());
    }
}
